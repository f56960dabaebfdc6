/**
 * What the output panel shows for a node, built in the worker from the node's cached outputs:
 * small, structured-cloneable views (first rows, stats, curves), never the data itself.
 */
import { describeDataset, describeTable } from '../data/preview';
import { describeTransform } from '../data/transforms';
import type { Dataset, EndpointRef, Metrics, ModelSpec, MonitorSummary, Table, TrainedModel } from '../data/types';
import type { Graph } from '../engine/graph';
import type { AnyNodeSpec, NodeSummary } from '../engine/node';
import type { OutputView } from './protocol';

/** The part of the executor's NodeResult the views need. */
export interface NodeOutputs {
  def: AnyNodeSpec;
  outputs: Record<string, unknown>;
  summary?: NodeSummary;
}

export const PREVIEW_ROWS = 100;

export type ColumnInfo = { name: string; dtype: string; role?: string };

function format(value: unknown): string | number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(4));
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function modelViews(model: TrainedModel, title: string): OutputView[] {
  const { artifact } = model;
  const views: OutputView[] = [];
  const history = artifact.history ?? [];
  if (history.length > 0) {
    const metricNames = [...new Set(history.flatMap((point) => Object.keys(point).filter((k) => k !== 'epoch')))];
    views.push({
      kind: 'series',
      title: `${title}: training history`,
      x: 'epoch',
      series: metricNames.map((name) => ({
        name,
        points: history.filter((p) => typeof p[name] === 'number').map((p) => [p.epoch, p[name]] as [number, number]),
      })),
    });
  }
  const entries: [string, string | number][] = [
    ['name', artifact.name],
    ['family', artifact.spec.family],
    ['task', artifact.target.task],
    ['target', artifact.target.name],
  ];
  if (artifact.target.classes) entries.push(['classes', artifact.target.classes.join(', ')]);
  entries.push(['features', artifact.featureNames.length]);
  if (artifact.featureShape) entries.push(['feature shape', artifact.featureShape.join('×')]);
  entries.push(['weights', `${(artifact.weightData.byteLength / 1024).toFixed(1)} KiB`]);
  for (const [key, value] of Object.entries(artifact.spec.hyper)) entries.push([`spec.${key}`, format(value)]);
  for (const [key, value] of Object.entries(artifact.trainParams)) entries.push([`train.${key}`, format(value)]);
  for (const [key, value] of Object.entries(artifact.metrics ?? {})) entries.push([`metric.${key}`, format(value)]);
  if (model.registryId) entries.push(['registry id', model.registryId]);
  if (artifact.lineage.backend) entries.push(['backend', artifact.lineage.backend]);
  views.push({ kind: 'keyvalue', title: `${title}: model`, entries });
  if (artifact.transforms.length > 0) {
    views.push({
      kind: 'transforms',
      title: `${title}: preprocessing inside the model`,
      steps: artifact.transforms.map((t) => ({ kind: t.kind, fittedOn: t.fittedOn, summary: describeTransform(t) })),
    });
  }
  return views;
}

const clock = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleTimeString());

/** The monitor node's report: headline, per-feature drift, traffic over time, predictions vs training. */
export function monitorViews(m: MonitorSummary): OutputView[] {
  const entries: [string, string | number][] = [
    ['endpoint', `${m.endpoint} (live v${m.liveVersion ?? '–'})`],
    ['drift status', m.status],
    ['drifting since', m.driftingSince === null ? '–' : clock(m.driftingSince)],
    ['requests', m.requests],
    ['from … to', `${clock(m.from)} … ${clock(m.to)}`],
  ];
  if (m.latencyMs) entries.push(['latency p50 / p95 / p99 (ms)', `${format(m.latencyMs.p50)} / ${format(m.latencyMs.p95)} / ${format(m.latencyMs.p99)}`]);
  if (m.note) entries.push(['note', m.note]);
  const views: OutputView[] = [{ kind: 'keyvalue', title: 'Endpoint monitor', entries }];
  if (m.features.length > 0) {
    views.push({
      kind: 'table',
      title: 'Feature drift',
      rowCount: m.features.length,
      columns: ['feature', 'status', 'PSI', 'KS p', 'drifting since', 'values', 'unseen'].map((name) => ({ name, dtype: 'text' })),
      rows: m.features.map((f) => [f.name, f.status, f.psi === null ? null : format(f.psi), f.ksPValue === null ? null : format(f.ksPValue), f.driftingSince === null ? null : clock(f.driftingSince), f.count, f.unseen?.join(', ') ?? null]),
    });
  }
  if (m.windows.length > 0) {
    const minutes = (t: number) => (t - m.windows[0].start) / 60_000;
    views.push({
      kind: 'series',
      title: 'Traffic per window',
      x: 'minutes',
      series: [
        { name: 'requests', points: m.windows.map((w) => [minutes(w.start), w.requests] as [number, number]) },
        { name: 'p95 ms', points: m.windows.map((w) => [minutes(w.start), w.p95] as [number, number]) },
      ],
    });
  }
  if (m.predictions.length > 0) {
    views.push({
      kind: 'table',
      title: 'Predictions vs training',
      rowCount: m.predictions.length,
      columns: ['prediction', 'served', 'training'].map((name) => ({ name, dtype: 'text' })),
      rows: m.predictions.map((p) => [p.label, `${(p.served * 100).toFixed(1)}%`, p.training === null ? null : `${(p.training * 100).toFixed(1)}%`]),
    });
  }
  return views;
}

/** Views of one node's outputs, port by port, by the declared port type. */
export function viewsOf(result: NodeOutputs, maxRows = PREVIEW_ROWS): OutputView[] {
  const views: OutputView[] = [];
  const ports = Object.entries(result.def.outputs);
  for (const [port, spec] of ports) {
    const value = result.outputs[port];
    if (value === undefined || value === null) continue;
    const title = ports.length > 1 ? (spec.label ?? port) : '';
    const named = (view: OutputView): OutputView => (title ? { ...view, title: `${title}: ${view.title}` } : view);
    switch (spec.type) {
      case 'table':
        views.push(...describeTable(value as Table, maxRows).map(named));
        break;
      case 'dataset':
        views.push(...describeDataset(value as Dataset, maxRows).map(named));
        break;
      case 'metrics': {
        const metrics = value as Metrics;
        if (metrics.monitor) views.push(...monitorViews(metrics.monitor).map(named));
        // A search's trials (the leaderboard) are what one looks for first on a tune node.
        else if (metrics.trials?.length) views.unshift(named({ kind: 'metrics', title: 'Search', metrics }));
        else views.push(named({ kind: 'metrics', title: 'Metrics', metrics }));
        break;
      }
      case 'model':
        views.push(...modelViews(value as TrainedModel, title || 'Model'));
        break;
      case 'model-spec': {
        const modelSpec = value as ModelSpec;
        views.push(named({ kind: 'keyvalue', title: 'Model spec', entries: [['family', modelSpec.family], ...Object.entries(modelSpec.hyper).map(([k, v]) => [k, format(v)] as [string, string | number])] }));
        break;
      }
      case 'endpoint': {
        const endpoint = value as EndpointRef;
        views.push(named({ kind: 'keyvalue', title: 'Endpoint', entries: [['name', endpoint.name], ['version', endpoint.version]] }));
        break;
      }
    }
  }
  if (views.length === 0 && result.summary) views.push({ kind: 'text', title: result.def.title, text: result.summary.text });
  return views;
}

function tableColumns(table: Table): ColumnInfo[] {
  return table.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
}

function datasetColumns(dataset: Dataset): ColumnInfo[] {
  const features = new Set(dataset.roles.features);
  return dataset.table.columns.map((c) => ({
    name: c.name,
    dtype: c.dtype,
    ...(c.name === dataset.roles.target ? { role: 'target' } : features.has(c.name) ? { role: 'feature' } : {}),
  }));
}

/** Columns on one node's table/dataset output (`port`, or the first such port), or null. */
export function outputColumns(result: NodeOutputs, port?: string): ColumnInfo[] | null {
  for (const [name, spec] of Object.entries(result.def.outputs)) {
    if (port !== undefined && name !== port) continue;
    const value = result.outputs[name];
    if (!value) continue;
    if (spec.type === 'table') return tableColumns(value as Table);
    if (spec.type === 'dataset') return datasetColumns(value as Dataset);
  }
  return null;
}

/**
 * The first answer `find` gives for `nodeId` itself (at `port`), else for the nearest node
 * upstream of it (breadth-first over incoming edges, at the port that feeds the way down):
 * a column picker's columns, or the data node whose file a probe can read.
 */
export function nearestUpstream<T extends object>(graph: Graph | null, nodeId: string, find: (id: string, port?: string) => T | null, port?: string): T | null {
  const direct = find(nodeId, port);
  if (direct) return direct;
  if (!graph) return null;
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of graph.edges) {
        if (edge.to.node !== id || seen.has(edge.from.node)) continue;
        seen.add(edge.from.node);
        const found = find(edge.from.node, edge.from.port);
        if (found) return found;
        next.push(edge.from.node);
      }
    }
    frontier = next;
  }
  return null;
}
