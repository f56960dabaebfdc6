/** Files in and out of the editor: graph export and import, a damaged record's raw text, downloads. */
import { errorMessage } from '../engine/errors';
import type { DamagedRecord } from '../storage/index';
import { documentToGraph } from './convert';
import { rawRecordText } from './stores';
import { issuesOf, parseGraphText, serializeGraph } from './graphFile';
import { openUnsaved } from './session';
import { editorStore } from './store';

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
    editorStore.getState().toast('error', `Export failed: ${errorMessage(error)}`);
  }
}

/** Downloads a damaged stored record exactly as read, so it can be kept or repaired elsewhere. */
export async function exportRawRecord(record: DamagedRecord): Promise<void> {
  try {
    download(`${record.table}-${fileSafeName(record.key)}-raw.json`, await rawRecordText(record.raw), 'application/json');
  } catch (error) {
    editorStore.getState().toast('error', `Export failed: ${errorMessage(error)}`);
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
    store.setImportError({ title: `Could not read ${file.name}`, messages: [errorMessage(error)] });
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
