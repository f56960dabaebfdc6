/** Penguins end to end through the executor: train → deploy → (traffic through the browser endpoint router) → monitor. */
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../data/types';
import { Executor } from '../../engine/executor';
import { edge, graph, node } from '../../engine/testing/graph-builder';
import { setupCpuTf } from '../../ml/test-helpers';
import { createEndpointRouter } from '../../serving/browser/router';
import { applyShifts, parseShift, partitionRows, tableRecords } from '../../serving/replay';
import { isReferenceProfile } from '../../serving/reference';
import { createRegistry } from '..';
import { fileServices, sampleTable } from '../data/testing';
import { stores } from '../deploy/testing';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

describe('deploy and monitor in a graph', () => {
  it('penguins: the endpoint serves raw records, and a swapped island shows up as red drift on that feature only', async () => {
    const before = tf.memory().numTensors;
    const { models, endpoints } = stores();
    const g = graph(
      [
        node('load', 'data.sample', { name: 'penguins' }),
        node('roles', 'prep.roles', { target: 'Species' }),
        node('split', 'prep.split', {}),
        node('impute', 'prep.missing', { strategy: 'most frequent' }),
        node('encode', 'prep.encode', {}),
        node('scale', 'prep.scale', {}),
        node('spec', 'model.mlp', { layers: [16] }),
        node('train', 'train.fit', { epochs: 15 }),
        node('deploy', 'deploy.endpoint', { name: 'penguins' }),
        node('monitor', 'monitor.endpoint', {}),
      ],
      [
        edge('load.table', 'roles.table'),
        edge('roles.data', 'split.data'),
        edge('split.data', 'impute.data'),
        edge('impute.data', 'encode.data'),
        edge('encode.data', 'scale.data'),
        edge('scale.data', 'train.data'),
        edge('spec.spec', 'train.spec'),
        edge('train.model', 'deploy.model'),
        edge('deploy.endpoint', 'monitor.endpoint'),
      ],
    );
    const executor = new Executor(createRegistry());
    const services = fileServices({ models, endpoints });
    const first = await executor.run(g, { services });
    expect(Object.fromEntries(first.errors)).toEqual({});
    expect(first.ok).toBe(true);
    const meta = (await endpoints.get('penguins'))!;
    expect(meta.live).toBe(1);

    // The stored model's reference is in raw units (the chain undone), not scaled ones.
    const artifact = (await models.load(meta.versions[0].modelId))!;
    expect(isReferenceProfile(artifact.reference)).toBe(true);
    const mass = (artifact.reference as { features: { name: string; kind: string; sample?: number[] }[] }).features.find((f) => f.name === 'Body Mass (g)')!;
    expect(mass.kind).toBe('numeric');
    expect(Math.min(...mass.sample!)).toBeGreaterThan(2000);
    const island = (artifact.reference as { features: { name: string; kind: string }[] }).features.find((f) => f.name === 'Island')!;
    expect(island.kind).toBe('categorical');

    const router = createEndpointRouter({ endpoints, models, ensureBackend: async () => 'cpu' });
    try {
      const table = await sampleTable('penguins.csv');
      // The file is sorted (species, and sexes alternate): random halves look like the whole.
      const even = tableRecords(table, partitionRows(table.rowCount, 'train', 3), ['Species']);
      const odd = [...tableRecords(table, partitionRows(table.rowCount, 'validation', 3), ['Species']), ...tableRecords(table, partitionRows(table.rowCount, 'test', 3), ['Species'])];
      const send = async (batch: Record<string, unknown>[]) => {
        const answer = await router.handle({ method: 'POST', url: '/api/endpoints/penguins/predict', body: JSON.stringify(batch), contentType: 'application/json' });
        return answer!.status;
      };
      // Raw records with missing values and categories: the chain inside the model handles them.
      expect(await send(even)).toBe(200);
      let rerun = await executor.run(g, { services, targets: ['monitor'] });
      let report = executor.outputsOf('monitor')!.outputs.report as Metrics;
      expect(rerun.ok).toBe(true);
      expect(report.monitor!.requests).toBe(even.length);
      expect(report.monitor!.status).toBe('green');
      expect((await endpoints.get('penguins'))!.versions.length).toBe(1);

      expect(await send(applyShifts(odd, [parseShift('Island=Biscoe>Torgersen'), parseShift('Island=Dream>Torgersen')]))).toBe(200);
      rerun = await executor.run(g, { services, targets: ['monitor'] });
      report = executor.outputsOf('monitor')!.outputs.report as Metrics;
      const features = Object.fromEntries(report.monitor!.features.map((f) => [f.name, f.status]));
      expect(features.Island).toBe('red');
      expect(report.monitor!.status).toBe('red');
      expect(features['Beak Length (mm)']).toBe('green');
      expect(features['Body Mass (g)']).toBe('green');
      expect(report.monitor!.requests).toBe(table.rowCount);
    } finally {
      router.dispose();
      executor.clear();
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tf.memory().numTensors).toBe(before);
  });
});
