/**
 * The editor session: which graph is open (remembered in localStorage), autosave to the
 * GraphStore within ~500 ms of an edit, conflict detection between tabs (revisions +
 * BroadcastChannel), and the first-visit sample.
 */
import type { Graph } from '../engine/graph';
import { documentToGraph } from './convert';
import { issuesOf, loadGraphFileCode, parseGraphText, restoreGraph } from './graphFile';
import type { GraphRecord } from '../storage/index';
import { getEngine } from './engine';
import { getStores, isRevisionConflict } from './stores';
import { sameDocument, trackedPart, type TrackedGraph } from './historySlice';
import { editorStore, validatedPartChanged } from './store';
import type { Viewport } from '../engine/graph';
import { errorMessage } from '../engine/errors';

const OPEN_GRAPH_KEY = 'pipeline-studio.openGraph';
export const AUTOSAVE_DELAY_MS = 400;
/** The sample that opens on a first visit. */
export const FIRST_VISIT_EXAMPLE = 'iris-mlp';

export type SaveState = 'saved' | 'pending' | 'saving' | 'error' | 'conflict';

/** What is known about the open graph in storage. */
let storedRevision = 0;
let lastSaved: { doc: TrackedGraph; viewport: Viewport } | null = null;
let saveTimer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> | null = null;

const saveListeners = new Set<(state: SaveState) => void>();
let saveState: SaveState = 'saved';
function setSaveState(state: SaveState): void {
  saveState = state;
  for (const listener of saveListeners) listener(state);
}
export function getSaveState(): SaveState {
  return saveState;
}
export function onSaveState(listener: (state: SaveState) => void): () => void {
  saveListeners.add(listener);
  return () => saveListeners.delete(listener);
}

export function newGraphId(): string {
  return `graph_${crypto.randomUUID()}`;
}

function rememberOpen(id: string): void {
  try {
    localStorage.setItem(OPEN_GRAPH_KEY, id);
  } catch {
    // Private mode without storage: the graph still saves, only "reopen last" is lost.
  }
}

function rememberedOpen(): string | null {
  try {
    return localStorage.getItem(OPEN_GRAPH_KEY);
  } catch {
    return null;
  }
}

/** Puts `graph` in the editor as saved at `revision` (0 = not stored yet). */
function showGraph(graph: Graph, revision: number): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  const store = editorStore.getState();
  store.loadGraph(graph);
  store.clearRunState();
  store.setConflict(null);
  storedRevision = revision;
  const state = editorStore.getState();
  lastSaved = revision > 0 ? { doc: trackedPart(state), viewport: state.viewport } : null;
  rememberOpen(graph.id);
  setSaveState(revision > 0 ? 'saved' : 'pending');
  if (revision === 0) scheduleSave();
  else void restoreResults(graph.id);
}

/**
 * Shows the results of the graph's last runs that are still valid (same cache key) on its
 * nodes, marked as restored: datasets, models and metrics survive a reload.
 */
let restoreTimer: ReturnType<typeof setTimeout> | null = null;

/** After an edit: restored results whose node's key changed are dropped (and an undone edit brings them back). */
function scheduleRestoreCheck(): void {
  if (restoreTimer) clearTimeout(restoreTimer);
  restoreTimer = setTimeout(() => {
    restoreTimer = null;
    if (!editorStore.getState().running) void restoreResults(editorStore.getState().graphId);
  }, AUTOSAVE_DELAY_MS);
}

async function restoreResults(graphId: string): Promise<void> {
  try {
    const engine = await getEngine();
    const state = editorStore.getState();
    if (state.graphId !== graphId) return;
    editorStore.getState().restoreRuns(graphId, await engine.restore(documentToGraph(state)));
  } catch (error) {
    console.warn('Could not restore the last run’s results', error);
  }
}

export async function openGraph(id: string): Promise<boolean> {
  await flushSave();
  const { graphs } = await getStores();
  const record = await graphs.get(id);
  if (!record) return false;
  const graph = await restored(record);
  if (!graph) return false;
  showGraph(graph, record.revision);
  return true;
}

/** A stored graph through the one restore path; null (and a toast) when it cannot be read. */
async function restored(record: GraphRecord): Promise<Graph | null> {
  try {
    return (await restoreGraph(record.file)).graph;
  } catch (error) {
    editorStore.getState().toast('error', `Could not open “${record.name}”: ${issuesOf(error).join('; ')}`);
    return null;
  }
}

/** Opens a graph that is not stored yet (new, imported, template): it gets a fresh id and is saved. */
export async function openUnsaved(graph: Graph): Promise<void> {
  await flushSave();
  showGraph({ ...graph, id: newGraphId() }, 0);
  await flushSave();
  editorStore.getState().bumpLibrary();
}

export async function newGraph(): Promise<void> {
  await openUnsaved({ id: '', name: 'Untitled pipeline', seed: 42, nodes: [], edges: [], viewport: { x: 0, y: 0, zoom: 1 } });
}

function scheduleSave(): void {
  if (saveState !== 'conflict') setSaveState('pending');
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    void saveNow();
  }, AUTOSAVE_DELAY_MS);
}

async function saveNow(): Promise<void> {
  if (saving) await saving;
  const state = editorStore.getState();
  if (state.conflict) return;
  const doc = trackedPart(state);
  const viewport = state.viewport;
  if (lastSaved && sameDocument(lastSaved.doc, doc) && lastSaved.viewport === viewport) {
    setSaveState('saved');
    return;
  }
  const graph = documentToGraph(state);
  setSaveState('saving');
  saving = (async () => {
    try {
      const { graphs } = await getStores();
      storedRevision = await graphs.put(graph, storedRevision);
      lastSaved = { doc, viewport };
      setSaveState(saveTimer ? 'pending' : 'saved');
      if (!sameDocument(doc, trackedPart(editorStore.getState()))) scheduleSave();
    } catch (error) {
      if (isRevisionConflict(error)) {
        setSaveState('conflict');
        editorStore.getState().setConflict('This graph was changed in another tab. Your edits here are not saved.');
      } else {
        setSaveState('error');
        editorStore.getState().toast('error', `Could not save: ${errorMessage(error)}`);
      }
    } finally {
      saving = null;
    }
  })();
  await saving;
}

/** Saves pending edits now (before switching graph, on page hide). */
export async function flushSave(): Promise<void> {
  if (saveTimer) {
    clearTimeout(saveTimer);
    saveTimer = null;
    await saveNow();
  } else if (saving) {
    await saving;
  }
}

/** Conflict: reload the stored version (drops local edits). */
export async function reloadFromStore(): Promise<void> {
  const id = editorStore.getState().graphId;
  const { graphs } = await getStores();
  const record = await graphs.get(id);
  const graph = record && (await restored(record));
  if (record && graph) showGraph(graph, record.revision);
}

/** Conflict: keep local edits as a new graph. */
export async function keepMineAsCopy(): Promise<void> {
  const state = editorStore.getState();
  const graph = documentToGraph(state);
  editorStore.getState().setConflict(null);
  await openUnsaved({ ...graph, name: `${graph.name} (my copy)` });
}

async function fetchExample(name: string): Promise<Graph> {
  
  const response = await fetch(`examples/${name}.json`);
  if (!response.ok) throw new Error(`Example "${name}" is missing (${response.status})`);
  return (await parseGraphText(await response.text())).graph;
}

export async function openExample(name: string): Promise<void> {
  const graph = await fetchExample(name);
  await openUnsaved(graph);
}

let started = false;

/** Starts autosave and cross-tab watching, and opens the remembered graph (or the first-visit sample). */
export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  // Fetched alongside storage: the first graph needs both.
  loadGraphFileCode().catch(() => {});
  try {
    await openFirstGraph();
  } finally {
    editorStore.getState().setSessionReady();
  }
}

async function openFirstGraph(): Promise<void> {
  editorStore.subscribe((state, prev) => {
    if (state.graphId !== prev.graphId) return;
    if (state.viewport !== prev.viewport || !sameDocument(trackedPart(state), trackedPart(prev))) scheduleSave();
    if (state.seed !== prev.seed || validatedPartChanged(state, prev)) scheduleRestoreCheck();
  });
  const { graphs } = await getStores();
  graphs.subscribe((change) => {
    editorStore.getState().bumpLibrary();
    const current = editorStore.getState().graphId;
    if (change.id !== current) return;
    if (change.type === 'deleted') {
      editorStore.getState().setConflict('This graph was deleted in another tab.');
    } else if (change.revision !== storedRevision) {
      editorStore.getState().setConflict('This graph was changed in another tab.');
      setSaveState('conflict');
    }
  });
  addEventListener('pagehide', () => void flushSave());

  const remembered = rememberedOpen();
  if (remembered && (await openGraph(remembered))) return;
  const list = await graphs.list();
  if (list.length) {
    await openGraph(list[0].id);
    return;
  }
  try {
    await openExample(FIRST_VISIT_EXAMPLE);
  } catch (error) {
    editorStore.getState().toast('warning', `Could not open the sample pipeline: ${errorMessage(error)}`);
    await newGraph();
  }
}
