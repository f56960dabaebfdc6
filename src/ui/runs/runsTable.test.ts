import { describe, expect, it } from 'vitest';
import { upgradeRunRecord, type RunRecord } from '../../engine/run-record';
import { filterRuns, sortRuns } from './runsTable';

function run(id: string, startedAt: number, fields: Partial<RunRecord> = {}): RunRecord {
  return upgradeRunRecord({ id, graphId: 'g', startedAt, ms: 10, ok: true, cancelled: false, nodes: {}, ...fields });
}

const runs = [
  run('a', 1, { metrics: { 'evaluate.accuracy': 0.9 }, label: 'baseline', backend: 'wasm' }),
  run('b', 2, { metrics: { 'evaluate.accuracy': 0.97 }, starred: true, backend: 'cpu' }),
  run('c', 3, { ok: false }),
  run('d', 4, { cv: { 'evaluate.accuracy': { mean: 0.95, sd: 0.01 } }, backend: 'wasm' }),
];

describe('Runs table', () => {
  it('sorts by a metric (CV mean when there is one), runs without it last either way', () => {
    expect(sortRuns(runs, { key: 'metric:evaluate.accuracy', descending: true }).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(sortRuns(runs, { key: 'metric:evaluate.accuracy', descending: false }).map((r) => r.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(sortRuns(runs, { key: 'startedAt', descending: true }).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(sortRuns(runs, { key: 'status', descending: false }).map((r) => r.id)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('filters by words, starred and a metric threshold', () => {
    expect(filterRuns(runs, { text: 'wasm', starredOnly: false }).map((r) => r.id)).toEqual(['a', 'd']);
    expect(filterRuns(runs, { text: 'WASM base', starredOnly: false }).map((r) => r.id)).toEqual(['a']);
    expect(filterRuns(runs, { text: 'failed', starredOnly: false }).map((r) => r.id)).toEqual(['c']);
    expect(filterRuns(runs, { text: '', starredOnly: true }).map((r) => r.id)).toEqual(['b']);
    expect(filterRuns(runs, { text: '', starredOnly: false, metric: { key: 'evaluate.accuracy', op: '>=', value: 0.95 } }).map((r) => r.id)).toEqual(['b', 'd']);
    expect(filterRuns(runs, { text: '', starredOnly: false, metric: { key: 'evaluate.accuracy', op: '<=', value: 0.95 } }).map((r) => r.id)).toEqual(['a', 'd']);
  });
});
