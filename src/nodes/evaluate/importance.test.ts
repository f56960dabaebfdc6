import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { seededRandom } from '../../data/random';
import type { Metrics, TrainedModel } from '../../data/types';
import { blobsDataset, makeDataset, numberColumn, runNode, setupCpuTf, simplePartitions } from '../../ml/test-helpers';
import { train } from '../train/train';
import { evaluate } from './evaluate';
import { evaluateImportance } from './importance';

let tf: typeof TF;
let model: TrainedModel;
const random = seededRandom(3);
const signal = Array.from({ length: 200 }, () => random() * 4 - 2);
const noise = Array.from({ length: 200 }, () => random() * 4 - 2);
const data = makeDataset([numberColumn('signal', signal), numberColumn('noise', noise), numberColumn('y', signal.map((v) => 2 * v + 1))], 'y', simplePartitions(200));

beforeAll(async () => {
  tf = await setupCpuTf();
  model = (await runNode(train, { data, spec: { family: 'linear', hyper: {} } }, { params: { epochs: 150, learningRate: 0.05 } })).model as TrainedModel;
});
afterAll(() => model.dispose());

const importanceOf = async (params: Record<string, unknown> = {}, dataset = data, m = model) => (await runNode(evaluateImportance, { model: m, data: dataset }, { params })).metrics as Metrics;

describe('evaluate.importance', () => {
  it('ranks the informative feature first and gives the noise feature ~0, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const m = await importanceOf({ repeats: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const { importance } = m;
    expect(importance!.metric).toBe('r2');
    expect(importance!.baseline).toBeGreaterThan(0.98);
    expect(importance!.features.map((f) => f.name)).toEqual(['signal', 'noise']);
    const [informative, useless] = importance!.features;
    expect(informative.mean).toBeGreaterThan(1);
    expect(Math.abs(useless.mean)).toBeLessThan(0.02);
    expect(informative.sd).toBeGreaterThan(0);
    expect(m.scalars).toMatchObject({ rows: data.partitions!.test.length, repeats: 5, features: 2 });
    expect(evaluateImportance.summarize!({ metrics: m } as never, {} as never).text).toMatch(/^r2 drop on test: signal [\d.]+, noise -?[\d.]+$/);
  });

  it('gives identical numbers for the same seed', async () => {
    const a = await importanceOf({ seed: 9, repeats: 3 });
    const b = await importanceOf({ seed: 9, repeats: 3 });
    const c = await importanceOf({ seed: 10, repeats: 3 });
    expect(a.importance).toEqual(b.importance);
    expect(a.importance!.features[0].mean).not.toBe(c.importance!.features[0].mean);
  });

  it('scores accuracy for a classifier and refuses an empty partition with a reason', async () => {
    const blobs = blobsDataset(30);
    const classifier = (await runNode(train, { data: blobs, spec: { family: 'mlp', hyper: { layers: [8] } } }, { params: { epochs: 40, learningRate: 0.05 } })).model as TrainedModel;
    const m = await importanceOf({ repeats: 2 }, blobs, classifier);
    expect(m.importance!.metric).toBe('accuracy');
    expect(m.task).toBe('classification');
    await expect(importanceOf({ partition: 'validation' }, { ...blobs, partitions: { ...blobs.partitions!, validation: new Uint32Array(0) } }, classifier)).rejects.toThrow(/validation partition is empty/);
    classifier.dispose();
  });

  it('says in words when the rows it scores were seen by a step fitted before the split (evaluate too)', async () => {
    const leaky = { ...data, transforms: [{ kind: 'scale', nodeId: 'scale', fittedOn: 'all' as const, state: {} }] };
    const m = await importanceOf({ repeats: 1 }, leaky);
    expect(m.warnings).toEqual([expect.stringMatching(/test rows were seen by a fitted step placed before the split — scale \(node “scale”\).*optimistic/)]);
    const scored = (await runNode(evaluate, { model, data: leaky }, {})).metrics as Metrics;
    expect(scored.warnings?.[0]).toMatch(/optimistic/);
    expect(evaluate.summarize!({ metrics: scored } as never, {} as never).warnings?.[0]).toMatch(/optimistic/);
    // Scored on the training rows, nothing leaks into them.
    expect(((await runNode(evaluate, { model, data: leaky }, { params: { partition: 'train' } })).metrics as Metrics).warnings).toBeUndefined();
    expect((await importanceOf({ repeats: 1 })).warnings).toBeUndefined();
  });
});
