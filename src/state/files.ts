/**
 * Files from the user's machine: a data file dropped on the canvas (or picked in a
 * `data.file` node's inspector) becomes a `data.file` node whose `token` param names it; the
 * File itself goes to the engine worker by reference (putFileBlob), so it streams when read,
 * and the node's `hash` param names its content. The first run stores the table; from then
 * on the node reads that stored copy by hash, also after a reload (the File itself is gone).
 */
import type { DataProfile } from '../auto/profile';
import { getEngine } from './engine';
import { editorStore } from './store';
import { errorMessage } from '../engine/errors';

export const DATA_FILE_NODE = 'data.file';
/** What the file input offers and a drop accepts as data. */
export const DATA_FILE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.json', '.jsonl', '.ndjson'];
/** Graph files carry this format name near their start (sorted keys put it first). */
const GRAPH_FORMAT_MARK = '"pipeline-studio.graph"';

/** Names of the files picked this session, by token (the inspector shows them). */
const pickedNames = new Map<string, string>();

export function pickedFileName(token: string): string | undefined {
  return pickedNames.get(token);
}

export function isDataFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return DATA_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Whether a dropped file is a graph file (a .json whose start names our format) rather than data. */
export async function isGraphFile(file: Blob & { name: string }): Promise<boolean> {
  if (!file.name.toLowerCase().endsWith('.json')) return false;
  const head = await file.slice(0, 4096).text();
  return head.includes(GRAPH_FORMAT_MARK);
}

export function newFileToken(): string {
  return `file-${crypto.randomUUID()}`;
}

/** Hands `file` to the engine under a fresh token; returns the node params naming it (token and content hash). */
export async function handOverFile(file: File): Promise<{ token: string; hash: string; path: string }> {
  const token = newFileToken();
  const engine = await getEngine();
  await engine.putFileBlob(token, file.name, file);
  const hash = await engine.hashFile(token);
  pickedNames.set(token, file.name);
  return { token, hash, path: '' };
}

/** Drops and picks still on their way to the engine (the engine may still be loading). */
const inFlight = new Set<Promise<unknown>>();

function track<T>(work: Promise<T>): Promise<T> {
  inFlight.add(work);
  const forget = () => inFlight.delete(work);
  work.then(forget, forget);
  return work;
}

/** Whether a dropped or picked file is still being handed to the engine. */
export function filesPending(): boolean {
  return inFlight.size > 0;
}

/** Resolves once every file dropped or picked so far is in the graph (or has failed). A run waits for this. */
export async function filesHandedOver(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

function failed(file: File, error: unknown): void {
  editorStore.getState().toast('error', `Could not use ${file.name}: ${errorMessage(error)}`);
}

/** A new `data.file` node at `position` (flow coordinates) reading `file`; its id, or null on failure. */
export function addDataFileNode(file: File, position: { x: number; y: number }): Promise<string | null> {
  return track(
    (async () => {
      try {
        const params = await handOverFile(file);
        return editorStore.getState().addNode(DATA_FILE_NODE, position, { params, label: file.name });
      } catch (error) {
        failed(file, error);
        return null;
      }
    })(),
  );
}

/** Points an existing `data.file` node at `file` (a new pick replaces the old one). */
export function fillDataFileNode(nodeId: string, file: File): Promise<boolean> {
  return track(
    (async () => {
      try {
        const params = await handOverFile(file);
        editorStore.getState().patchNode(nodeId, { params, label: file.name });
        return true;
      } catch (error) {
        failed(file, error);
        return false;
      }
    })(),
  );
}

/** "New from data": hands `file` to the engine and reads its column profile there (the whole file, off the main thread). */
export async function profileDataFile(file: File): Promise<{ params: { token: string; hash: string; path: string }; profile: DataProfile }> {
  const params = await track(handOverFile(file));
  const profile = await (await getEngine()).profileFile(params.token);
  return { params, profile };
}
