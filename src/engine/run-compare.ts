/**
 * Reading run records side by side: the metric columns of a runs table, a comparison of two
 * or more runs (metrics with their difference to the first run, training curves, what changed
 * in params node by node, which data changed) and the table as CSV. Pure TypeScript, shared
 * by the Runs view and `pipeline-studio runs`.
 */
import type { HistoryPoint } from '../data/types';
import type { GraphNode } from './graph';
import { canonicalJson } from './hash';
import type { AnyNodeSpec } from './node';
import { declaredParams, resolveNodeParams } from './node-params';
import { runStatus, type MeanSd, type RunRecord } from './run-record';

/** Looks a node type up (the registry's or the editor catalogue's `get`), to fill param defaults before diffing. */
export type DefinitionLookup = (type: string) => AnyNodeSpec | undefined;

export interface MetricColumn {
  /** `<node>.<scalar>`, the key in RunRecord.metrics / cv. */
  key: string;
  /** The scalar's name alone when no other metrics node has it, else the key. */
  label: string;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every metric any of `runs` recorded (plain or cross-validated), in name order. */
export function metricColumns(runs: readonly Pick<RunRecord, 'metrics' | 'cv'>[]): MetricColumn[] {
  const keys = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.metrics)) keys.add(key);
    for (const key of Object.keys(run.cv)) keys.add(key);
  }
  const sorted = [...keys].sort(byText);
  const scalar = (key: string) => key.slice(key.indexOf('.') + 1);
  const count = new Map<string, number>();
  for (const key of sorted) count.set(scalar(key), (count.get(scalar(key)) ?? 0) + 1);
  return sorted.map((key) => ({ key, label: count.get(scalar(key)) === 1 ? scalar(key) : key }));
}

/** A run's value of a metric column: the CV mean when there is one, else the plain value. */
export function metricValue(run: Pick<RunRecord, 'metrics' | 'cv'>, key: string): number | null {
  return run.cv[key]?.mean ?? run.metrics[key] ?? null;
}

export interface MetricComparison extends MetricColumn {
  /** One per run, in the order given. */
  values: (number | null)[];
  cv: (MeanSd | null)[];
  /** value − the first run's value; null for the first run or a missing value. */
  deltas: (number | null)[];
}

export interface ParamChange {
  param: string;
  /** undefined: the param is not set in that run. */
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  nodeId: string;
  type: string;
  change: 'added' | 'removed' | 'changed';
  /** For 'changed': only the params whose value differs. */
  params: ParamChange[];
  /** Set when the node's type changed under the same id. */
  typeBefore?: string;
}

export interface DataChange {
  nodeId: string;
  name?: string;
  before: string | null;
  after: string | null;
}

/** How one run differs from the baseline (the first run compared). */
export interface RunDiff {
  runId: string;
  baselineId: string;
  /** false when either run has no graph document (recorded before graphs were kept). */
  comparable: boolean;
  seed?: { before: number | null; after: number | null };
  nodes: NodeChange[];
  /** Wiring: edges added and removed, as "from.port → to.port". */
  edgesAdded: string[];
  edgesRemoved: string[];
  /** Data nodes whose data hash differs (or is present in one run only). */
  data: DataChange[];
}

export interface CurveSeries {
  runId: string;
  nodeId: string;
  metric: string;
  points: [number, number][];
}

export interface RunComparison {
  runs: RunRecord[];
  metrics: MetricComparison[];
  /** runs[1..] against runs[0]. */
  diffs: RunDiff[];
  /** Metrics present in some training history (loss, val_loss, accuracy…). */
  curveMetrics: string[];
}

function paramsOf(node: GraphNode, lookup?: DefinitionLookup): Record<string, unknown> {
  const def = lookup && !node.placeholder ? lookup(node.type) : undefined;
  if (!def) return node.params;
  const resolved = resolveNodeParams(node, def);
  return resolved.ok ? declaredParams(def, resolved.params) : node.params;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

function edgeText(edge: { from: { node: string; port: string }; to: { node: string; port: string } }): string {
  return `${edge.from.node}.${edge.from.port} → ${edge.to.node}.${edge.to.port}`;
}

/** What changed from `base` to `run`: seed, nodes and their params, wiring, data. */
export function diffRuns(base: RunRecord, run: RunRecord, lookup?: DefinitionLookup): RunDiff {
  const diff: RunDiff = { runId: run.id, baselineId: base.id, comparable: Boolean(base.graph && run.graph), nodes: [], edgesAdded: [], edgesRemoved: [], data: [] };
  const dataIds = [...new Set([...Object.keys(base.dataHashes), ...Object.keys(run.dataHashes)])].sort(byText);
  for (const nodeId of dataIds) {
    const before = base.dataHashes[nodeId] ?? null;
    const after = run.dataHashes[nodeId] ?? null;
    if (before === after) continue;
    const name = run.nodes[nodeId]?.dataName ?? base.nodes[nodeId]?.dataName;
    diff.data.push({ nodeId, ...(name ? { name } : {}), before, after });
  }
  if (!base.graph || !run.graph) return diff;
  if (base.seed !== run.seed) diff.seed = { before: base.seed, after: run.seed };
  const before = new Map(base.graph.nodes.map((n) => [n.id, n]));
  const after = new Map(run.graph.nodes.map((n) => [n.id, n]));
  for (const nodeId of [...new Set([...before.keys(), ...after.keys()])].sort(byText)) {
    const a = before.get(nodeId);
    const b = after.get(nodeId);
    if (!a && b) {
      diff.nodes.push({ nodeId, type: b.type, change: 'added', params: [] });
      continue;
    }
    if (a && !b) {
      diff.nodes.push({ nodeId, type: a.type, change: 'removed', params: [] });
      continue;
    }
    const pa = paramsOf(a!, lookup);
    const pb = paramsOf(b!, lookup);
    const params: ParamChange[] = [];
    for (const param of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort(byText)) {
      if (!same(pa[param], pb[param])) params.push({ param, before: pa[param], after: pb[param] });
    }
    const typeChanged = a!.type !== b!.type;
    if (params.length > 0 || typeChanged) diff.nodes.push({ nodeId, type: b!.type, change: 'changed', params, ...(typeChanged ? { typeBefore: a!.type } : {}) });
  }
  const edgesBefore = new Set(base.graph.edges.map(edgeText));
  const edgesAfter = new Set(run.graph.edges.map(edgeText));
  diff.edgesAdded = [...edgesAfter].filter((e) => !edgesBefore.has(e)).sort(byText);
  diff.edgesRemoved = [...edgesBefore].filter((e) => !edgesAfter.has(e)).sort(byText);
  return diff;
}

/** Whether a diff found anything. */
export function hasChanges(diff: RunDiff): boolean {
  return Boolean(diff.seed) || diff.nodes.length > 0 || diff.edgesAdded.length > 0 || diff.edgesRemoved.length > 0 || diff.data.length > 0;
}

/** Two or more runs side by side; the first one is the baseline for differences. */
export function compareRuns(runs: readonly RunRecord[], lookup?: DefinitionLookup): RunComparison {
  const columns = metricColumns(runs);
  const metrics = columns.map((column): MetricComparison => {
    const values = runs.map((run) => metricValue(run, column.key));
    const base = values[0];
    return {
      ...column,
      values,
      cv: runs.map((run) => run.cv[column.key] ?? null),
      deltas: values.map((value, i) => (i === 0 || value === null || base === null ? null : value - base)),
    };
  });
  const curveMetrics = new Set<string>();
  for (const run of runs) {
    for (const node of Object.values(run.nodes)) {
      for (const point of node.history ?? []) for (const key of Object.keys(point)) if (key !== 'epoch') curveMetrics.add(key);
    }
  }
  const preferred = ['loss', 'val_loss'];
  return {
    runs: [...runs],
    metrics,
    diffs: runs.slice(1).map((run) => diffRuns(runs[0], run, lookup)),
    curveMetrics: [...curveMetrics].sort((a, b) => {
      const ia = preferred.indexOf(a);
      const ib = preferred.indexOf(b);
      return ia !== ib && (ia >= 0 || ib >= 0) ? (ia < 0 ? 1 : ib < 0 ? -1 : ia - ib) : byText(a, b);
    }),
  };
}

/** One series per run and train node: `metric` by epoch. */
export function trainingCurves(runs: readonly RunRecord[], metric: string): CurveSeries[] {
  const series: CurveSeries[] = [];
  for (const run of runs) {
    for (const [nodeId, node] of Object.entries(run.nodes).sort(([a], [b]) => byText(a, b))) {
      const points = (node.history ?? [])
        .filter((p: HistoryPoint) => typeof p[metric] === 'number' && Number.isFinite(p[metric]))
        .map((p): [number, number] => [p.epoch, p[metric]]);
      if (points.length > 0) series.push({ runId: run.id, nodeId, metric, points });
    }
  }
  return series;
}

/** Curves on one shared x axis (epochs), as uPlot wants them: [xs, ys1, ys2, …] with nulls for gaps. */
export function alignCurves(series: readonly CurveSeries[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  return [
    xs,
    ...series.map((s) => {
      const ys: (number | null)[] = xs.map(() => null);
      for (const [x, y] of s.points) ys[index.get(x)!] = y;
      return ys;
    }),
  ];
}

/** A value as a short text for tables and diffs. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  try {
    return canonicalJson(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Cells a spreadsheet would read as a formula start with one of these (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: RFC 4180 quoting (a cell with a comma, quote or line break is quoted, quotes
 * doubled) and, for text, OWASP's defence against formula injection: a text cell starting with
 * = + - @ tab or CR gets a leading apostrophe, so a spreadsheet shows it as text. Numbers are
 * written as numbers (a negative difference stays a number).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

/** The runs table as CSV: one row per run, one column per metric (CV metrics as mean and sd). */
export function runsToCsv(runs: readonly RunRecord[]): string {
  const columns = metricColumns(runs);
  const withCv = new Set(columns.filter((c) => runs.some((r) => r.cv[c.key])).map((c) => c.key));
  const header = ['run', 'started', 'graph', 'label', 'starred', 'status', 'backend', 'seed', 'ms', 'graph hash', 'data hashes'];
  for (const c of columns) {
    if (withCv.has(c.key)) header.push(`${c.label} mean`, `${c.label} sd`);
    else header.push(c.label);
  }
  const lines = [csvLine(header)];
  for (const run of runs) {
    const cells: (string | number | null)[] = [
      run.id,
      new Date(run.startedAt).toISOString(),
      run.graphName,
      run.label,
      run.starred ? 'yes' : '',
      runStatus(run),
      run.backend ?? '',
      run.seed,
      run.ms,
      run.graphHash ?? '',
      Object.entries(run.dataHashes)
        .sort(([a], [b]) => byText(a, b))
        .map(([node, hash]) => `${node}:${hash}`)
        .join(' '),
    ];
    for (const c of columns) {
      if (withCv.has(c.key)) cells.push(run.cv[c.key]?.mean ?? run.metrics[c.key] ?? null, run.cv[c.key]?.sd ?? null);
      else cells.push(run.metrics[c.key] ?? null);
    }
    lines.push(csvLine(cells));
  }
  return `${lines.join('\r\n')}\r\n`;
}
