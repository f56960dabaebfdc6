import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { parseDelimited } from '../../data/parse';
import type { Dataset } from '../../data/types';
import { runNode } from '../data/testing';
import { prepDedupe } from './dedupe';

describe('prep.dedupe', () => {
  it('keeps the first of equal rows (all columns, or the chosen ones)', async () => {
    const { table } = await parseDelimited('a,b,y\n1,x,p\n1,x,p\n1,y,q\n2,x,p\n');
    const data = createDataset(table, 'y', ['a', 'b']);
    const all = await runNode(prepDedupe, { inputs: { data } });
    expect((all.outputs.data as Dataset).table.rowCount).toBe(3);
    expect(all.summary?.text).toBe('removed 1 duplicate row; 3 rows left');
    const byA = await runNode(prepDedupe, { inputs: { data }, params: { columns: ['a'] } });
    expect((byA.outputs.data as Dataset).table.rowCount).toBe(2);
  });

  it('leaves a table without duplicates alone but still reports it', async () => {
    const { table } = await parseDelimited('a,y\n1,p\n2,q\n');
    const { outputs, summary } = await runNode(prepDedupe, { inputs: { data: createDataset(table, 'y', ['a']) } });
    expect((outputs.data as Dataset).table.rowCount).toBe(2);
    expect(summary?.text).toBe('removed 0 duplicate rows; 2 rows left');
  });
});
