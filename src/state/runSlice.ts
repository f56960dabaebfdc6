/**
 * Run state per node, fed by engine events: status, progress, message, summary, error and
 * live metric series (training loss per epoch) for sparklines and the live chart.
 */
import type { NodeStatus, RunEvent } from '../engine/events';
import type { NodeSummary } from '../engine/node';
import type { BackendInfo, RestoredNode } from '../runtime/protocol';
import type { StoreSlice } from './storeTypes';

/** Longest live series kept per metric (a long training run must not grow memory unbounded). */
export const MAX_SERIES_POINTS = 2000;

export interface NodeRun {
  /** An engine status, or `stale`: its params (or an upstream node's) changed after it ran. */
  status: NodeStatus | 'stale';
  fraction?: number;
  message?: string;
  summary?: NodeSummary;
  error?: string;
  ms?: number;
  /** Live metrics by name, in arrival order (e.g. loss, val_loss, epoch). */
  series: Record<string, number[]>;
  /** Set when this is an earlier session's result, restored after a reload (still valid: same cache key). */
  restored?: { at: number };
}

export interface RunSlice {
  runId: string | null;
  running: boolean;
  /** Ends when a run finishes: ok, failed or cancelled (null before any run). */
  lastRun: { ok: boolean; cancelled: boolean; ms?: number } | null;
  nodeRuns: Record<string, NodeRun>;
  backend: BackendInfo | null;
  backendError: string | null;
  /** Bumps whenever a node finished, so output views refetch. */
  outputsVersion: number;
  startRun(): void;
  applyRunEvents(events: RunEvent[]): void;
  finishRun(result: { ok: boolean; cancelled: boolean }): void;
  setBackend(info: BackendInfo | null, error?: string): void;
  clearRunState(): void;
  /**
   * Shows the still-valid results of graph `graphId`'s last runs on nodes that have not run
   * in this session, and drops the restored results of nodes not among them any more (edited).
   */
  restoreRuns(graphId: string, nodes: RestoredNode[]): void;
}

const idle = (): NodeRun => ({ status: 'idle', series: {} });

const FINISHED: ReadonlySet<NodeRun['status']> = new Set(['done', 'cached', 'error', 'skipped', 'cancelled']);

/**
 * The run records after the params of `nodeIds` changed: each of them and every node downstream
 * of them that finished (or failed) become `stale` until the next run, so an old error or summary
 * no longer shows as current. Restored results are left to restoreRuns (it checks their cache
 * keys); running nodes keep their state. Returns `runs` itself when nothing changes.
 *
 * One traversal over all the edited nodes (each node and edge is visited once), with the same
 * result as editing them one by one in the given order: a node reads "changed since the last run"
 * when it is edited and no earlier edited node reaches it, "an upstream node changed" otherwise.
 */
export function staleAfterEdit(runs: Record<string, NodeRun>, edges: readonly { from: { node: string }; to: { node: string } }[], nodeIds: readonly string[]): Record<string, NodeRun> {
  const targets = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = targets.get(from.node);
    if (list) list.push(to.node);
    else targets.set(from.node, [to.node]);
  }
  /** Each reached node, and whether it is the edited node that reached it first. */
  const reached = new Map<string, boolean>();
  for (const nodeId of nodeIds) {
    if (reached.has(nodeId)) continue;
    reached.set(nodeId, true);
    const stack = [nodeId];
    while (stack.length > 0) {
      for (const to of targets.get(stack.pop()!) ?? []) {
        if (reached.has(to)) continue;
        reached.set(to, false);
        stack.push(to);
      }
    }
  }
  let next = runs;
  for (const [id, edited] of reached) {
    const run = runs[id];
    if (!run || run.restored || !FINISHED.has(run.status)) continue;
    if (next === runs) next = { ...runs };
    next[id] = { status: 'stale', message: edited ? 'changed since the last run' : 'an upstream node changed', series: {} };
  }
  return next;
}

/** Pure reducer: one event applied to the per-node run records. */
export function reduceRunEvent(runs: Record<string, NodeRun>, event: RunEvent): Record<string, NodeRun> {
  if (event.type === 'run-start' || event.type === 'run-done') return runs;
  const prev = runs[event.nodeId] ?? idle();
  let next: NodeRun;
  switch (event.type) {
    case 'node-queued':
      next = { status: 'queued', series: {} };
      break;
    case 'node-start':
      next = { status: 'running', fraction: 0, series: {} };
      break;
    case 'node-progress': {
      // A progress event without metrics (an ingest's bytes) keeps the same series object, so
      // views of the series (the output panel's live chart) do not re-render for it.
      const series = event.metrics ? { ...prev.series } : prev.series;
      if (event.metrics) {
        for (const [key, value] of Object.entries(event.metrics)) {
          const list = series[key] ? [...series[key], value] : [value];
          series[key] = list.length > MAX_SERIES_POINTS ? list.slice(-MAX_SERIES_POINTS) : list;
        }
      }
      next = {
        ...prev,
        status: 'running',
        fraction: event.fraction ?? prev.fraction,
        message: event.message ?? prev.message,
        series,
      };
      break;
    }
    case 'node-cached':
      next = { status: 'cached', summary: event.summary, series: prev.series };
      break;
    case 'node-done':
      next = { status: 'done', summary: event.summary, ms: event.ms, fraction: 1, series: prev.series };
      break;
    case 'node-error':
      next = { status: 'error', error: event.message, series: prev.series };
      break;
    case 'node-skipped':
      next = { status: event.reason === 'cancelled' ? 'cancelled' : 'skipped', message: event.message ?? (event.reason === 'cancelled' ? 'cancelled' : 'upstream failed'), series: {} };
      break;
    case 'node-cancelled':
      next = { ...prev, status: 'cancelled', message: 'cancelled' };
      break;
  }
  return { ...runs, [event.nodeId]: next };
}

export const createRunSlice: StoreSlice<RunSlice> = (set) => ({
  runId: null,
  running: false,
  lastRun: null,
  nodeRuns: {},
  backend: null,
  backendError: null,
  outputsVersion: 0,

  startRun() {
    set({ running: true, lastRun: null });
  },

  applyRunEvents(events) {
    set((s) => {
      let runs = s.nodeRuns;
      let runId = s.runId;
      let finished = false;
      for (const event of events) {
        if (event.type === 'run-start') {
          runId = event.runId;
          // Nodes outside this run keep their last state; nodes in it start fresh.
          runs = { ...runs };
          for (const id of event.nodeIds) runs[id] = { status: 'queued', series: {} };
        }
        runs = reduceRunEvent(runs, event);
        if (event.type === 'node-done' || event.type === 'node-cached') finished = true;
      }
      return { nodeRuns: runs, runId, outputsVersion: finished ? s.outputsVersion + 1 : s.outputsVersion };
    });
  },

  finishRun(result) {
    set((s) => ({ running: false, lastRun: result, outputsVersion: s.outputsVersion + 1 }));
  },

  setBackend(info, error) {
    set({ backend: info, backendError: error ?? null });
  },

  clearRunState() {
    set({ nodeRuns: {}, runId: null, lastRun: null, running: false });
  },

  restoreRuns(graphId, nodes) {
    set((s) => {
      if (s.graphId !== graphId || s.running) return {};
      const valid = new Map(nodes.map((node) => [node.nodeId, node]));
      let runs = s.nodeRuns;
      const edit = () => (runs === s.nodeRuns ? (runs = { ...s.nodeRuns }) : runs);
      for (const [nodeId, run] of Object.entries(s.nodeRuns)) {
        if (run.restored && !valid.has(nodeId)) delete edit()[nodeId];
      }
      for (const node of nodes) {
        const run = runs[node.nodeId];
        if (run?.restored && run.restored.at === node.at) continue;
        // Idle, or stale after an edit that was undone: the saved result is valid again.
        const status = run?.status ?? 'idle';
        if (status !== 'idle' && status !== 'stale' && !run?.restored) continue;
        edit()[node.nodeId] = { status: node.status, ...(node.summary ? { summary: node.summary } : {}), series: {}, restored: { at: node.at } };
      }
      return runs === s.nodeRuns ? {} : { nodeRuns: runs, outputsVersion: s.outputsVersion + 1 };
    });
  },
});
