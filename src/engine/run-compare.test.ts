import { describe, expect, it } from 'vitest';
import type { Graph } from './graph';
import { defineNode } from './node';
import { p } from './params';
import { port } from './ports';
import { alignCurves, compareRuns, csvCell, diffRuns, hasChanges, metricColumns, runsToCsv, trainingCurves } from './run-compare';
import { upgradeRunRecord, type RunRecord } from './run-record';
import { edge, graph, node } from './testing/graph-builder';

const fit = defineNode({
  type: 'train.fake',
  version: 1,
  title: 'Fit',
  stage: 'train',
  inputs: {},
  outputs: { model: port('model') },
  params: { learningRate: p.number(0.005, { min: 0, max: 1 }), epochs: p.int(200, { min: 1, max: 1000 }) },
  run: async () => {
    throw new Error('not run here');
  },
});
const lookup = (type: string) => (type === fit.type ? fit : undefined);

function iris(lr: number, extra: Partial<Graph> = {}): Graph {
  return graph(
    [node('data', 'data.file', { path: 'samples/iris.csv' }), node('train', 'train.fake', { learningRate: lr, epochs: 200 }), node('evaluate', 'evaluate.metrics', { partition: 'test' })],
    [edge('data.table', 'train.data'), edge('train.model', 'evaluate.model')],
    extra,
  );
}

function run(id: string, g: Graph, fields: Partial<RunRecord> = {}): RunRecord {
  return upgradeRunRecord({
    id,
    graphId: g.id,
    startedAt: 1000,
    ms: 100,
    ok: true,
    cancelled: false,
    format: 2,
    graph: g,
    graphName: g.name,
    seed: g.seed,
    dataHashes: { data: 'aaa' },
    nodes: { data: { status: 'done', dataHash: 'aaa', dataName: 'iris.csv' } },
    ...fields,
  });
}

describe('diffRuns', () => {
  it('lists only the params that changed, node by node', () => {
    const diff = diffRuns(run('a', iris(0.005)), run('b', iris(0.05)), lookup);
    expect(diff.nodes).toEqual([{ nodeId: 'train', type: 'train.fake', change: 'changed', params: [{ param: 'learningRate', before: 0.005, after: 0.05 }] }]);
    expect(diff.data).toEqual([]);
    expect(diff.seed).toBeUndefined();
    expect(hasChanges(diff)).toBe(true);
  });

  it('treats a param left at its default as equal to the default written out', () => {
    const bare = iris(0.005);
    bare.nodes[1] = { ...bare.nodes[1], params: { learningRate: 0.005 } };
    expect(hasChanges(diffRuns(run('a', bare), run('b', iris(0.005)), lookup))).toBe(false);
    // Without the node's declaration the missing param is a change.
    expect(diffRuns(run('a', bare), run('b', iris(0.005))).nodes[0].params).toEqual([{ param: 'epochs', before: undefined, after: 200 }]);
  });

  it('flags changed data, seed, added/removed nodes and wiring', () => {
    const before = iris(0.005);
    const after: Graph = { ...iris(0.005), seed: 7, nodes: [...iris(0.005).nodes.filter((n) => n.id !== 'evaluate'), node('scale', 'prep.scale')], edges: [edge('data.table', 'train.data')] };
    const diff = diffRuns(run('a', before), run('b', after, { dataHashes: { data: 'bbb' }, nodes: { data: { status: 'done', dataHash: 'bbb', dataName: 'iris.csv' } } }), lookup);
    expect(diff.data).toEqual([{ nodeId: 'data', name: 'iris.csv', before: 'aaa', after: 'bbb' }]);
    expect(diff.seed).toEqual({ before: 42, after: 7 });
    expect(diff.nodes.map((n) => [n.nodeId, n.change])).toEqual([
      ['evaluate', 'removed'],
      ['scale', 'added'],
    ]);
    expect(diff.edgesRemoved).toEqual(['train.model → evaluate.model']);
    expect(diff.edgesAdded).toEqual([]);
  });

  it('says when a run has no graph to compare (recorded before graphs were kept)', () => {
    const old = upgradeRunRecord({ id: 'old', graphId: 'g1', startedAt: 1, ms: 1, ok: true, cancelled: false, nodes: {} });
    expect(diffRuns(old, run('b', iris(0.05))).comparable).toBe(false);
  });
});

describe('compareRuns', () => {
  it('puts metrics side by side with the difference to the first run, and lists curve metrics', () => {
    const a = run('a', iris(0.005), { metrics: { 'evaluate.accuracy': 0.9, 'evaluate.rows': 30 }, nodes: { train: { status: 'done', history: [{ epoch: 1, loss: 1, accuracy: 0.5 }, { epoch: 2, loss: 0.5, accuracy: 0.8 }] } } });
    const b = run('b', iris(0.05), { metrics: { 'evaluate.accuracy': 0.95 }, cv: { 'evaluate.f1': { mean: 0.9, sd: 0.02 } }, nodes: { train: { status: 'done', history: [{ epoch: 1, loss: 0.8 }, { epoch: 3, loss: 0.2 }] } } });
    const comparison = compareRuns([a, b], lookup);
    const accuracy = comparison.metrics.find((m) => m.key === 'evaluate.accuracy')!;
    expect(accuracy.label).toBe('accuracy');
    expect(accuracy.values).toEqual([0.9, 0.95]);
    expect(accuracy.deltas[0]).toBeNull();
    expect(accuracy.deltas[1]).toBeCloseTo(0.05);
    expect(comparison.metrics.find((m) => m.key === 'evaluate.rows')!.deltas).toEqual([null, null]);
    expect(comparison.metrics.find((m) => m.key === 'evaluate.f1')!.cv).toEqual([null, { mean: 0.9, sd: 0.02 }]);
    expect(comparison.curveMetrics).toEqual(['loss', 'accuracy']);
    expect(comparison.diffs).toHaveLength(1);

    const curves = trainingCurves([a, b], 'loss');
    expect(curves.map((c) => c.runId)).toEqual(['a', 'b']);
    expect(alignCurves(curves)).toEqual([
      [1, 2, 3],
      [1, 0.5, null],
      [0.8, null, 0.2],
    ]);
  });

  it('labels a metric by its node when two metrics nodes report it', () => {
    expect(metricColumns([run('a', iris(0.1), { metrics: { 'test.accuracy': 1, 'val.accuracy': 0.9, 'val.auc': 0.99 } })])).toEqual([
      { key: 'test.accuracy', label: 'test.accuracy' },
      { key: 'val.accuracy', label: 'val.accuracy' },
      { key: 'val.auc', label: 'auc' },
    ]);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('neutralises text cells a spreadsheet would run as a formula (OWASP), not negative numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tTAB')).toBe("'\tTAB");
    expect(csvCell(-0.25)).toBe('-0.25');
  });

  it('writes one row per run with its metrics, CV as mean and sd', () => {
    const a = run('a', iris(0.005), { graphName: 'Iris, "v2"', label: '=cmd|x', starred: true, backend: 'wasm', metrics: { 'evaluate.accuracy': 0.9 } });
    const b = run('b', iris(0.05), { graphName: 'Iris', ok: false, cv: { 'evaluate.accuracy': { mean: 0.8, sd: 0.05 } } });
    const lines = runsToCsv([a, b]).split('\r\n');
    expect(lines[0]).toBe('run,started,graph,label,starred,status,backend,seed,ms,graph hash,data hashes,accuracy mean,accuracy sd');
    expect(lines[1]).toBe(`a,1970-01-01T00:00:01.000Z,"Iris, ""v2""",'=cmd|x,yes,ok,wasm,42,100,,data:aaa,0.9,`);
    expect(lines[2]).toBe('b,1970-01-01T00:00:01.000Z,Iris,,,failed,,42,100,,data:aaa,0.8,0.05');
    expect(lines[3]).toBe('');
  });
});
