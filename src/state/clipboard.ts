/** Copy, cut and paste of the selection as graph-file JSON (system clipboard, else an in-page one). */
import { fragmentDocument, makeFragment, readFragment } from './convert';
import { issuesOf } from './graphFile';
import { editorStore, selectedNodes } from './store';

/** In-page clipboard, used when the system clipboard is not reachable. */
let memoryClipboard: string | null = null;

/** The selection as graph-file JSON, or null when nothing is selected. */
export function selectionAsText(): string | null {
  const state = editorStore.getState();
  const chosen = selectedNodes(state);
  if (!chosen.length) return null;
  return JSON.stringify(makeFragment(chosen, state.edges), null, 2);
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

/** Whether a paste of `text` is the editor's to take: it, or else the in-page clipboard, holds a graph file. */
export function holdsFragment(text: string | null | undefined): boolean {
  return Boolean((text && fragmentDocument(text)) || (memoryClipboard && fragmentDocument(memoryClipboard)));
}

/**
 * Pastes clipboard text (ours or another graph's); falls back to the in-page clipboard.
 * `at` places the fragment's top-left corner (flow coordinates), else it lands 40 px offset.
 * Resolves to the number of nodes pasted.
 */
export async function pasteText(text: string | null | undefined, at?: { x: number; y: number }): Promise<number> {
  let fragment: Awaited<ReturnType<typeof readFragment>>;
  try {
    fragment = (text && (await readFragment(text))) || (memoryClipboard && (await readFragment(memoryClipboard))) || null;
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
