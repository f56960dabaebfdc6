import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { parseDelimited } from '../../data/parse';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { runNode } from '../data/testing';
import { featuresPower } from './power';

async function data(): Promise<Dataset> {
  const { table } = await parseDelimited('amount,delta,y\n0,-1,a\n9,2,b\n99,3,a\n');
  return createDataset(table, 'y', ['amount', 'delta']);
}

describe('features.power', () => {
  it('log1p of a column, same for a record', async () => {
    const { outputs, summary } = await runNode(featuresPower, { inputs: { data: await data() }, params: { columns: ['amount'] } });
    const out = outputs.data as Dataset;
    expect(Array.from((getColumn(out.table, 'amount') as NumericColumn).values)).toEqual([0, Math.log(10), Math.log(100)]);
    expect(summary?.text).toBe('log1p of 1 column');
    expect(applyToRecord(out.transforms, out.rawSchema, { amount: 9, delta: 0 }).features[0]).toBeCloseTo(Math.log(10), 12);
  });

  it('refuses log of values ≤ 0 on training data, naming the column', async () => {
    await expect(runNode(featuresPower, { inputs: { data: await data() }, params: { method: 'log', columns: ['amount'] } })).rejects.toThrow(/"amount" has values down to 0: log needs values > 0\. Try log1p/);
    await expect(runNode(featuresPower, { inputs: { data: await data() }, params: { method: 'sqrt', columns: ['delta'] } })).rejects.toThrow(/"delta" has values down to -1/);
  });

  it('at serving time an out-of-domain value becomes missing with a warning', async () => {
    const { outputs } = await runNode(featuresPower, { inputs: { data: await data() }, params: { method: 'square', columns: ['delta'] } });
    const out = outputs.data as Dataset;
    expect(applyToRecord(out.transforms, out.rawSchema, { amount: 1, delta: -3 }).features[1]).toBe(9);
    const sqrt = (await runNode(featuresPower, { inputs: { data: await data() }, params: { method: 'sqrt', columns: ['amount'] } })).outputs.data as Dataset;
    const served = applyToRecord(sqrt.transforms, sqrt.rawSchema, { amount: -4, delta: 1 });
    expect(served.features[0]).toBeNaN();
    expect(served.warnings.join(' ')).toMatch(/outside the domain of sqrt/);
  });
});
