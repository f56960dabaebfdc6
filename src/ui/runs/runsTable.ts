/** Sorting and filtering of the Runs table (pure, so it is tested without a browser). */
import { metricValue } from '../../engine/run-compare';
import { runStatus, type RunRecord } from '../../engine/run-record';

/** A column to sort by: one of the fixed columns, or `metric:<key>`. */
export type SortKey = 'startedAt' | 'graph' | 'label' | 'status' | 'backend' | 'ms' | `metric:${string}`;

export interface RunSort {
  key: SortKey;
  descending: boolean;
}

export interface RunFilter {
  /** Words that must all appear in the run's id, label, graph name, status or backend. */
  text: string;
  starredOnly: boolean;
  /** Keep runs whose metric compares to `value` (runs without the metric are dropped). */
  metric?: { key: string; op: '>=' | '<='; value: number };
}

function sortValue(run: RunRecord, key: SortKey): string | number | null {
  switch (key) {
    case 'startedAt':
      return run.startedAt;
    case 'graph':
      return (run.graphName || run.graphId).toLowerCase();
    case 'label':
      return run.label.toLowerCase() || null;
    case 'status':
      return runStatus(run);
    case 'backend':
      return run.backend ?? null;
    case 'ms':
      return run.ms;
    default:
      return metricValue(run, key.slice('metric:'.length));
  }
}

/** Sorted copy; runs without a value go last whatever the direction; ties newest first. */
export function sortRuns(runs: readonly RunRecord[], sort: RunSort): RunRecord[] {
  return [...runs].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === null || y === null) return x === y ? b.startedAt - a.startedAt : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (sort.descending ? -order : order) || b.startedAt - a.startedAt;
  });
}

export function filterRuns(runs: readonly RunRecord[], filter: RunFilter): RunRecord[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const metric = filter.metric && Number.isFinite(filter.metric.value) ? filter.metric : undefined;
  return runs.filter((run) => {
    if (filter.starredOnly && !run.starred) return false;
    if (words.length > 0) {
      const text = [run.id, run.label, run.graphName, run.graphId, runStatus(run), run.backend ?? ''].join(' ').toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
    }
    if (metric) {
      const value = metricValue(run, metric.key);
      if (value === null) return false;
      if (metric.op === '>=' ? value < metric.value : value > metric.value) return false;
    }
    return true;
  });
}
