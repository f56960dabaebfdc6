/**
 * Editor commands that reach beyond the store: running, cancelling, clipboard, export and
 * import. Toolbar buttons, shortcuts and menus all call these.
 */
import type { RunEvent } from '../engine/events';
import type { BackendPreference } from '../runtime/protocol';
import { getDefinition } from './catalogue';
import { documentToGraph, makeFragment, readFragment } from './convert';
import type { DamagedRecord } from '../storage/index';
import { getEngine, rawRecordText } from './engine';
import { filesHandedOver, filesPending } from './files';
import { issuesOf, parseGraphText, serializeGraph } from './graphFile';
import { openUnsaved } from './session';
import { backendFromUrl } from './settings';
import { editorStore } from './store';
import { errorMessage } from '../engine/errors';

function message(error: unknown): string {
  return errorMessage(error);
}

/** Picks the backend: `?backend=` in the address wins over the saved setting. */
export function effectiveBackendPreference(): BackendPreference {
  return backendFromUrl(typeof location === 'undefined' ? '' : location.search) ?? editorStore.getState().settings.backendPreference;
}

export async function initBackend(preference = effectiveBackendPreference()): Promise<void> {
  try {
    const engine = await getEngine();
    editorStore.getState().setBackend(await engine.init(preference));
  } catch (error) {
    editorStore.getState().setBackend(null, message(error));
  }
}

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
  const selectionAtStart = selectedIds(store.nodes);
  // The node whose result (or error) came last: shown once the run ends (see showResultNode).
  let lastResult: string | null = null;
  let pending: RunEvent[] = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  const flush = () => {
    scheduled = false;
    lastFlush = performance.now();
    const batch = pending;
    pending = [];
    if (batch.length) editorStore.getState().applyRunEvents(batch);
  };
  const scheduleFlush = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, lastFlush + RUN_EVENT_INTERVAL_MS - performance.now());
    setTimeout(() => requestAnimationFrame(flush), wait);
  };
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
      pending.push(event);
      scheduleFlush();
    });
    flush();
    if (!result.cancelled) showResultNode(targets?.length === 1 && result.ok ? targets[0] : lastResult, selectionAtStart);
    editorStore.getState().finishRun(result);
    if (!result.ok && !result.cancelled) toastRunFailure();
    if (result.record && !result.record.recorded) editorStore.getState().toast('error', `This run is not in the Runs history: ${result.record.error}`);
  } catch (error) {
    flush();
    editorStore.getState().finishRun({ ok: false, cancelled: false });
    editorStore.getState().toast('error', `Run failed: ${message(error)}`);
  }
  editorStore.getState().bumpLibrary();
}

/** The node's name as the canvas shows it: its label, else its type's title. */
export function nodeTitle(nodeId: string): string {
  const node = editorStore.getState().nodes.find((n) => n.id === nodeId);
  return node?.data.label || (node && getDefinition(node.data.type)?.title) || nodeId;
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

function selectedIds(nodes: readonly { id: string; selected?: boolean }[]): string {
  return nodes
    .filter((n) => n.selected)
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
  if (selectedIds(state.nodes) !== selectionAtStart) return;
  state.selectOnly([nodeId]);
}

export async function cancelRun(): Promise<void> {
  try {
    await (await getEngine()).cancel();
  } catch (error) {
    editorStore.getState().toast('error', `Cancel failed: ${message(error)}`);
  }
}

/** In-page clipboard, used when the system clipboard is not reachable. */
let memoryClipboard: string | null = null;

/** The selection as graph-file JSON, or null when nothing is selected. */
export function selectionAsText(): string | null {
  const { nodes, edges } = editorStore.getState();
  const chosen = nodes.filter((n) => n.selected);
  if (!chosen.length) return null;
  return JSON.stringify(makeFragment(chosen, edges), null, 2);
}

export function copySelection(clipboardData?: DataTransfer | null): boolean {
  const text = selectionAsText();
  if (!text) return false;
  memoryClipboard = text;
  if (clipboardData) clipboardData.setData('text/plain', text);
  else void navigator.clipboard?.writeText(text).catch(() => {});
  return true;
}

export function cutSelection(clipboardData?: DataTransfer | null): void {
  if (copySelection(clipboardData)) editorStore.getState().deleteSelection();
}

/**
 * Pastes clipboard text (ours or another graph's); falls back to the in-page clipboard.
 * `at` places the fragment's top-left corner (flow coordinates), else it lands 40 px offset.
 */
export function pasteText(text: string | null | undefined, at?: { x: number; y: number }): number {
  let fragment: ReturnType<typeof readFragment>;
  try {
    fragment = (text && readFragment(text)) || (memoryClipboard && readFragment(memoryClipboard)) || null;
  } catch (error) {
    editorStore.getState().toast('error', `Cannot paste: ${issuesOf(error).join('; ')}`);
    return 0;
  }
  if (!fragment || !fragment.nodes.length) return 0;
  const minX = Math.min(...fragment.nodes.map((n) => n.position.x));
  const minY = Math.min(...fragment.nodes.map((n) => n.position.y));
  const offset = at ? { x: at.x - minX, y: at.y - minY } : { x: 40, y: 40 };
  return editorStore.getState().pasteFragment(fragment, offset).length;
}

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function fileSafeName(name: string): string {
  return name.trim().replace(/[^a-zA-Z0-9-_]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
}

export async function exportGraph(): Promise<void> {
  try {
    const state = editorStore.getState();
    download(`${fileSafeName(state.name)}.json`, await serializeGraph(documentToGraph(state)), 'application/json');
  } catch (error) {
    editorStore.getState().toast('error', `Export failed: ${message(error)}`);
  }
}

/** Downloads a damaged stored record exactly as read, so it can be kept or repaired elsewhere. */
export async function exportRawRecord(record: DamagedRecord): Promise<void> {
  try {
    download(`${record.table}-${fileSafeName(record.key)}-raw.json`, await rawRecordText(record.raw), 'application/json');
  } catch (error) {
    editorStore.getState().toast('error', `Export failed: ${message(error)}`);
  }
}

export async function downloadBytes(name: string, bytes: Uint8Array, type: string): Promise<void> {
  download(name, bytes as Uint8Array<ArrayBuffer>, type);
}

/**
 * Imports a graph file into a new graph. On a parse error the dialog lists the located
 * messages and the current graph stays open and untouched.
 */
export async function importGraphFile(file: File): Promise<boolean> {
  const store = editorStore.getState();
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    store.setImportError({ title: `Could not read ${file.name}`, messages: [message(error)] });
    return false;
  }
  try {
    const { graph, warnings } = await parseGraphText(text);
    await openUnsaved(graph);
    for (const warning of warnings.slice(0, 3)) editorStore.getState().toast('warning', warning);
    editorStore.getState().toast('info', `Imported “${graph.name}”`);
    return true;
  } catch (error) {
    store.setImportError({ title: `${file.name} is not a valid graph file`, messages: issuesOf(error) });
    return false;
  }
}
