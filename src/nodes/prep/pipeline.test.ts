/** The data/prep/features catalogue end to end through the engine's executor. */
import { describe, expect, it } from 'vitest';
import { toFeatureMatrix } from '../../data/dataset';
import { cellValue } from '../../data/table';
import { applyToRecord } from '../../data/transforms';
import type { Dataset, Table } from '../../data/types';
import { Executor } from '../../engine/executor';
import type { RunEvent } from '../../engine/events';
import { NodeRegistry } from '../../engine/registry';
import { edge, graph, node } from '../../engine/testing/graph-builder';
import { MemoryDatasetStore } from '../../storage/memory';
import { dataNodes } from '../data';
import { fileServices } from '../data/testing';
import { featuresNodes } from '../features';
import { prepNodes } from '.';

const registry = new NodeRegistry([...dataNodes, ...prepNodes, ...featuresNodes]);

describe('penguins pipeline through the executor', () => {
  it('sample → roles → split → missing → encode → scale → PCA; a raw record matches its batch row', async () => {
    const g = graph(
      [
        node('load', 'data.sample', { name: 'penguins' }),
        node('roles', 'prep.roles', { target: 'Species' }),
        node('split', 'prep.split', {}),
        node('impute', 'prep.missing', { strategy: 'most frequent' }),
        node('encode', 'prep.encode', {}),
        node('scale', 'prep.scale', {}),
        node('pca', 'features.pca', { components: 3 }),
      ],
      [
        edge('load.table', 'roles.table'),
        edge('roles.data', 'split.data'),
        edge('split.data', 'impute.data'),
        edge('impute.data', 'encode.data'),
        edge('encode.data', 'scale.data'),
        edge('scale.data', 'pca.data'),
      ],
    );
    const executor = new Executor(registry);
    const events: RunEvent[] = [];
    const result = await executor.run(g, { services: fileServices({ datasets: new MemoryDatasetStore() }), onEvent: (e) => events.push(e) });
    expect(Object.fromEntries(result.errors)).toEqual({});
    expect(result.ok).toBe(true);
    const summaries = Object.fromEntries(events.flatMap((e) => (e.type === 'node-done' ? [[e.nodeId, e.summary?.text]] : [])));
    expect(summaries).toMatchObject({
      load: 'penguins: 344 rows × 7 cols',
      roles: 'target Species (3 classes), 6 features, 344 rows',
      split: 'train 241 / validation 52 / test 51 (stratified)',
      impute: 'imputed 5 columns (most frequent, fitted on train)',
      encode: 'one-hot encoded 2 columns: 6 → 9 features (fitted on train)',
      scale: 'scaled 4 columns (standard, fitted on train)',
    });
    expect(summaries.pca).toMatch(/^PCA 4 → 3 components, 9\d\.\d% of variance \(fitted on train\)$/);

    const data = executor.outputsOf('pca')!.outputs.data as Dataset;
    expect(data.transforms.map((t) => t.kind)).toEqual(['impute', 'onehot', 'scale', 'pca']);
    expect(data.transforms.every((t) => t.fittedOn === 'train')).toBe(true);
    const raw = executor.outputsOf('load')!.outputs.table as Table;
    const { x, nFeatures } = toFeatureMatrix(data);
    for (const row of [0, 3, 271]) {
      const record = Object.fromEntries(raw.columns.map((c) => [c.name, cellValue(c, row)]));
      const { features } = applyToRecord(data.transforms, data.rawSchema, record, data.roles.features);
      Array.from(features).forEach((v, j) => expect(v).toBeCloseTo(x[row * nFeatures + j], 4));
    }
  });

  it('shows a clear error on the failing node and skips what follows', async () => {
    const g = graph(
      [node('load', 'data.sample', { name: 'penguins' }), node('roles', 'prep.roles', { target: 'Sex' }), node('split', 'prep.split', {})],
      [edge('load.table', 'roles.table'), edge('roles.data', 'split.data')],
    );
    const result = await new Executor(registry).run(g, { services: fileServices() });
    expect(result.ok).toBe(false);
    expect(result.errors.get('roles')).toMatch(/Target "Sex" is missing in 11 rows/);
    expect(result.status.get('split')).toBe('skipped');
  });
});
