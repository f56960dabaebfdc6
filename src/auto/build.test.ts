import { describe, expect, it } from 'vitest';
import { parseData } from '../data/parse';
import { validateGraph } from '../engine/validate';
import { createRegistry } from '../nodes';
import { sampleTable } from '../nodes/data/testing';
import { AutoPipelineError, buildAutoPipeline, ONE_HOT_LIMIT, type AutoOptions } from './build';
import { profileTable, type DataProfile } from './profile';

async function profileCsv(text: string, name = 'made.csv'): Promise<DataProfile> {
  const { table } = await parseData(text, 'csv', name);
  return profileTable(table, name);
}

function build(profile: DataProfile, target: string, extra: Partial<AutoOptions> = {}) {
  return buildAutoPipeline({ profile, target, source: { type: 'data.file', params: { path: profile.name } }, ...extra });
}

const node = (graph: { nodes: { id: string; type: string; params: Record<string, unknown>; label?: string }[] }, id: string) => graph.nodes.find((n) => n.id === id);
const chainOf = (graph: { edges: { from: { node: string }; to: { node: string; port: string } }[] }) => {
  // Follows data edges from the data node to the tune node.
  const order = ['data'];
  for (;;) {
    const next = graph.edges.find((e) => e.from.node === order[order.length - 1] && e.to.port !== 'model' && !['evaluate', 'cv', 'importance'].includes(e.to.node));
    if (!next) return order;
    order.push(next.to.node);
  }
};

function rowsCsv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n');
}

describe('the automatic pipeline', () => {
  const registry = createRegistry();

  it('iris (numbers only, category target): classification, stratified split, no imputation, no encoding; a valid graph', async () => {
    const table = await sampleTable('iris.csv');
    const { graph, task, decisions } = build(profileTable(table, 'iris.csv'), 'species');
    expect(task).toBe('classification');
    expect(chainOf(graph)).toEqual(['data', 'roles', 'split', 'scale', 'tune']);
    expect(node(graph, 'split')!.params).toMatchObject({ mode: 'random', stratify: true });
    expect(node(graph, 'roles')!.label).toBe('Target: species (classification)');
    expect(decisions).toContain('Missing values: none in the features, so no imputation step.');
    expect(decisions).toContain('Encode: no categorical features, so no encoding step.');
    expect(validateGraph(graph, registry)).toEqual([]);
    // Tune over families: no hidden layer (logistic regression) and two MLP sizes.
    expect((node(graph, 'tune')!.params.searchSpace as { layers: number[][] }).layers).toEqual([[], [32], [64, 32]]);
    // The tune node's finalists are ranked by 5-fold CV, not by one validation split.
    expect(node(graph, 'tune')!.params).toMatchObject({ score: 'cv', folds: 5 });
    expect(node(graph, 'tune')!.label).toMatch(/ranked by 5-fold CV$/);
    expect(decisions.some((d) => /ranked by 5-fold cross-validation on the non-test rows/.test(d))).toBe(true);
    expect(graph.edges.filter((e) => e.to.node === 'cv').map((e) => `${e.from.node}.${e.from.port}->${e.to.port}`).sort()).toEqual(['scale.data->data', 'tune.model->model']);
  });

  it('missing values → an impute step per kind (median for numbers, most frequent for categories), naming the columns', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i % 7 === 0 ? '' : i * 1.5, i % 3 ? 'red' : 'blue', i % 11 === 0 ? '' : i % 2 ? 'yes-ish' : 'no-ish', i * 2, i % 2 ? 'a' : 'b']);
    const profile = await profileCsv(rowsCsv(['size', 'colour', 'mood', 'weight', 'y'], rows));
    const { graph, decisions } = build(profile, 'y');
    expect(chainOf(graph)).toEqual(['data', 'roles', 'split', 'impute-numbers', 'impute-categories', 'onehot', 'scale', 'tune']);
    expect(node(graph, 'impute-numbers')!.params).toEqual({ strategy: 'median', columns: ['size'] });
    expect(node(graph, 'impute-categories')!.params).toEqual({ strategy: 'most frequent', columns: ['mood'] });
    expect(node(graph, 'impute-numbers')!.label).toBe('Impute median: 1 column had gaps');
    expect(decisions.find((d) => d.startsWith('Missing values: 1 numeric'))).toMatch(/size 9/);
    expect(validateGraph(graph, registry)).toEqual([]);
  });

  it('categorical features → one-hot up to the cardinality limit, ordinal above it', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`c${i % 4}`, `town-${i % 37}`, i, i % 2]);
    const profile = await profileCsv(rowsCsv(['colour', 'town', 'x', 'y'], rows));
    expect(profile.columns.find((c) => c.name === 'town')).toMatchObject({ dtype: 'category', distinct: 37 });
    const { graph, decisions } = build(profile, 'y');
    expect(chainOf(graph)).toEqual(['data', 'roles', 'split', 'onehot', 'ordinal', 'scale', 'tune']);
    expect(node(graph, 'onehot')!.params).toEqual({ method: 'onehot', columns: ['colour'] });
    expect(node(graph, 'ordinal')!.params).toEqual({ method: 'ordinal', columns: ['town'] });
    expect(decisions.find((d) => d.startsWith('Encode: ordinal'))).toContain(`more than ${ONE_HOT_LIMIT} values`);
  });

  it('a numeric target → regression (random split, not stratified); whole numbers with few values → classes', async () => {
    const cars = await sampleTable('cars.json');
    const regression = build(profileTable(cars, 'cars.json'), 'Miles_per_Gallon');
    expect(regression.task).toBe('regression');
    expect(node(regression.graph, 'split')!.params).toMatchObject({ mode: 'random', stratify: false });
    expect(node(regression.graph, 'tune')!.params.task).toBe('regression');
    // cars: Miles_per_Gallon has gaps (rows dropped), Horsepower has gaps (imputed), Origin is categorical (one-hot), Name is text (left out).
    expect(node(regression.graph, 'roles')!.params).toMatchObject({ missingTarget: 'drop rows' });
    expect(validateGraph(regression.graph, registry)).toEqual([]);
    const digits = await sampleTable('digits.csv');
    expect(build(profileTable(digits, 'digits.csv'), 'target').task).toBe('classification');
  });

  it('rows ordered in time → a time-ordered split, by the date column when there is one, else by row order', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`2024-02-${String((i % 28) + 1).padStart(2, '0')}`, i, i * 0.5 + 1.25]);
    const profile = await profileCsv(rowsCsv(['day', 'x', 'sales'], rows));
    expect(profile.columns[0].dtype).toBe('datetime');
    const { graph, decisions } = build(profile, 'sales', { timeOrdered: true });
    expect(node(graph, 'split')!.params).toMatchObject({ mode: 'time', column: 'day' });
    expect(decisions.find((d) => d.startsWith('Split:'))).toMatch(/time-ordered by "day"/);
    expect(validateGraph(graph, registry)).toEqual([]);
    // A date column alone does not make rows a time series (cars' model year).
    expect(node(build(profile, 'sales').graph, 'split')!.params.mode).toBe('random');
    // Said ordered in time without a date column: by row order.
    const plain = await profileCsv(rowsCsv(['x', 'y'], rows.map((r) => [r[1], r[2]])));
    expect(node(build(plain, 'y', { timeOrdered: true }).graph, 'split')!.params).toMatchObject({ mode: 'time', column: '' });
  });

  it('explains refusals: an unknown target, a free-text target, a one-valued target', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [`note number ${i} about things`, i, 'same']);
    const profile = await profileCsv(rowsCsv(['note', 'x', 'constant'], rows));
    expect(() => build(profile, 'nope')).toThrow(AutoPipelineError);
    expect(() => build(profile, 'note')).toThrow(/free text/);
    expect(() => build(profile, 'constant')).toThrow(/only one value/);
    // Free-text features are left out, and said so.
    const { graph, decisions } = build(profile, 'x');
    expect(node(graph, 'roles')!.params.features).toEqual(['constant']);
    expect(decisions).toContain('Left out: note (free text).');
  });

  it('adds importance and deploy nodes when asked', async () => {
    const profile = profileTable(await sampleTable('iris.csv'), 'iris.csv');
    const { graph } = build(profile, 'species', { importance: true, deploy: 'iris-auto' });
    expect(graph.edges.filter((e) => e.from.node === 'tune').map((e) => e.to.node).sort()).toEqual(['cv', 'deploy', 'evaluate', 'importance']);
    expect(node(graph, 'deploy')!.params).toEqual({ name: 'iris-auto' });
  });
});
