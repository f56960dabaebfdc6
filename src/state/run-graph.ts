/** Running the editor's graph in the engine worker: start, progress into the store, the outcome, cancel. */
import { errorMessage } from '../engine/errors';
import type { RunEvent } from '../engine/events';
import { effectiveBackendPreference } from './backend';
import { getDefinition } from './catalogue';
import { documentToGraph } from './convert';
import { getEngine } from './engine';
import { filesHandedOver, filesPending } from './files';
import { editorStore, type EditorState } from './store';

/**
 * Shortest gap between two store updates from run events. Progress needs no more than a
 * few repaints a second; fewer updates keep every main-thread task short while training.
 */
export const RUN_EVENT_INTERVAL_MS = 250;

/**
 * Runs the graph (or up to `targets`). Events are buffered and applied at most every
 * RUN_EVENT_INTERVAL_MS (in an animation frame), so a fast stream of progress events costs
 * a few store updates a second.
 */
export async function runGraph(targets?: string[]): Promise<void> {
  const store = editorStore.getState();
  if (store.running) return;
  // A file dropped a moment ago becomes its node only once the engine (which may still be
  // loading) has taken it: the run starts now and waits for it.
  if (!store.nodes.length && !filesPending()) {
    store.toast('info', 'Add nodes (or open a template) before running');
    return;
  }
  store.startRun();
  const selectionAtStart = selectedIds(store);
  // The node whose result (or error) came last: shown once the run ends (see showResultNode).
  let lastResult: string | null = null;
  const events = frameBatches((batch) => editorStore.getState().applyRunEvents(batch));
  try {
    await filesHandedOver();
    if (!editorStore.getState().nodes.length) {
      // The dropped file could not be used (a toast said why): nothing to run.
      editorStore.getState().finishRun({ ok: false, cancelled: false });
      return;
    }
    const engine = await getEngine();
    if (!engine.backend) editorStore.getState().setBackend(await engine.init(effectiveBackendPreference()));
    const graph = documentToGraph(editorStore.getState());
    const keepRuns = editorStore.getState().settings.runsKeptPerGraph;
    const result = await engine.run(graph, { ...(targets ? { targets } : {}), keepRuns }, (event) => {
      if (event.type === 'node-done' || event.type === 'node-cached' || event.type === 'node-error') lastResult = event.nodeId;
      events.push(event);
    });
    events.flush();
    if (!result.cancelled) showResultNode(targets?.length === 1 && result.ok ? targets[0] : lastResult, selectionAtStart);
    editorStore.getState().finishRun(result);
    if (!result.ok && !result.cancelled) toastRunFailure();
    if (result.record && !result.record.recorded) editorStore.getState().toast('error', `This run is not in the Runs history: ${result.record.error}`);
  } catch (error) {
    events.flush();
    editorStore.getState().finishRun({ ok: false, cancelled: false });
    editorStore.getState().toast('error', `Run failed: ${errorMessage(error)}`);
  }
  editorStore.getState().bumpLibrary();
}

/** The node's name as the canvas shows it: its label, else its type's title. */
export function nodeTitle(nodeId: string): string {
  const node = editorStore.getState().nodes.find((n) => n.id === nodeId);
  return node?.label || (node && getDefinition(node.type)?.title) || nodeId;
}

/** "Roles: the target has one class" — the failed node named, its first line, clickable to select it. */
function toastRunFailure(): void {
  const state = editorStore.getState();
  const failed = state.nodes.filter((n) => state.nodeRuns[n.id]?.status === 'error');
  if (!failed.length) {
    state.toast('error', 'The run failed: see the node marked in red');
    return;
  }
  const first = failed[0];
  const error = (state.nodeRuns[first.id]?.error ?? 'failed').split('\n')[0];
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more node${failed.length > 2 ? 's' : ''})` : '';
  state.toast('error', `${nodeTitle(first.id)}: ${error}${more}`, { nodeId: first.id });
}

function selectedIds(state: Pick<EditorState, 'nodes' | 'selectedNodeIds'>): string {
  return state.nodes
    .filter((n) => state.selectedNodeIds.has(n.id))
    .map((n) => n.id)
    .join('\n');
}

/**
 * After a run, selects the node that produced its last result (the target of "run to here",
 * else the last node to finish, or the one that failed), so the output panel shows it; the
 * canvas brings it into view. A selection the user changed during the run is left alone.
 */
function showResultNode(nodeId: string | null, selectionAtStart: string): void {
  const state = editorStore.getState();
  if (!nodeId || !state.nodes.some((n) => n.id === nodeId)) return;
  if (selectedIds(state) !== selectionAtStart) return;
  state.selectOnly([nodeId]);
}

/** Run events collected and applied in one store update at most every RUN_EVENT_INTERVAL_MS, in an animation frame. */
function frameBatches(apply: (events: RunEvent[]) => void): { push(event: RunEvent): void; flush(): void } {
  let pending: RunEvent[] = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  const flush = () => {
    scheduled = false;
    lastFlush = performance.now();
    const batch = pending;
    pending = [];
    if (batch.length) apply(batch);
  };
  return {
    push(event) {
      pending.push(event);
      if (scheduled) return;
      scheduled = true;
      const wait = Math.max(0, lastFlush + RUN_EVENT_INTERVAL_MS - performance.now());
      setTimeout(() => requestAnimationFrame(flush), wait);
    },
    flush,
  };
}

export async function cancelRun(): Promise<void> {
  try {
    await (await getEngine()).cancel();
  } catch (error) {
    editorStore.getState().toast('error', `Cancel failed: ${errorMessage(error)}`);
  }
}
