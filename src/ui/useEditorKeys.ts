/**
 * Global editor shortcuts (see ./shortcuts for the list). Copy/cut/paste go through the
 * browser's clipboard events, so they work with the system clipboard across tabs and apps.
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { copySelection, cutSelection, holdsFragment, pasteText, runGraph } from '../state/actions';
import { editorStore, selectedNodeId } from '../state/store';
import { pointerInFlow } from './canvas/Canvas';
import { autoLayout, fitGraph, toggleMinimap } from './canvas/view';
import type { FlowEdge, FlowNode } from './canvas/flow-mapping';
import { isTyping } from './shortcuts';

/** Canvas shortcuts act only while the editor fills the workspace (not the Runs view). */
function inEditor(): boolean {
  return editorStore.getState().view === 'editor';
}

export function useEditorKeys(): void {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const rfStore = useStoreApi<FlowNode, FlowEdge>();
  useEffect(() => {
    let pasteHandled = false;
    const onCopy = (event: ClipboardEvent) => {
      if (!inEditor() || isTyping(event.target) || hasTextSelection()) return;
      if (copySelection(event.clipboardData)) event.preventDefault();
    };
    const onCut = (event: ClipboardEvent) => {
      if (!inEditor() || isTyping(event.target) || hasTextSelection()) return;
      cutSelection(event.clipboardData);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (!inEditor() || isTyping(event.target)) return;
      pasteHandled = true;
      const text = event.clipboardData?.getData('text/plain');
      if (holdsFragment(text)) event.preventDefault();
      void pasteText(text, pointerInFlow(flow) ?? undefined);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const store = editorStore.getState();
      if (event.key === 'Escape') {
        if (store.helpOpen) store.setHelpOpen(false);
        else if (store.quickAdd) store.openQuickAdd(null);
        else if (store.importError) store.setImportError(null);
        else if (!isTyping(event.target)) store.selectOnly([]);
        return;
      }
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (!inEditor() && !(mod && key === 'enter')) return;
      if (mod && key === 'enter') {
        event.preventDefault();
        void runGraph();
      } else if (event.shiftKey && key === 'enter') {
        const id = selectedNodeId(store);
        if (id) {
          event.preventDefault();
          void runGraph([id]);
        }
      } else if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') {
        event.preventDefault();
        store.redo();
      } else if (mod && key === 'a') {
        event.preventDefault();
        store.selectAll();
      } else if (mod && key === 'd') {
        event.preventDefault();
        store.duplicateSelection();
      } else if (mod && key === 'v') {
        // The paste event normally follows; if the browser gives none (no clipboard
        // access), fall back to the in-page clipboard.
        pasteHandled = false;
        setTimeout(() => {
          if (!pasteHandled) void pasteText(null, pointerInFlow(flow) ?? undefined);
        }, 0);
      } else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        event.preventDefault();
        store.deleteSelection();
      } else if (!mod && (event.key === '?' || (event.key === '/' && event.shiftKey))) {
        event.preventDefault();
        store.setHelpOpen(!store.helpOpen);
      } else if (!mod && !event.altKey && (event.key === '/' || event.key === ' ')) {
        event.preventDefault();
        const box = document.querySelector('.react-flow')?.getBoundingClientRect();
        const screen = box ? { x: box.left + box.width / 2 - 140, y: box.top + box.height / 3 } : { x: 200, y: 200 };
        store.openQuickAdd({ screen, flow: pointerInFlow(flow) ?? flow.screenToFlowPosition(screen) });
      } else if (!mod && !event.altKey && key === 'l') {
        void autoLayout(flow, rfStore);
      } else if (!mod && !event.altKey && key === 'f') {
        fitGraph(flow, rfStore);
      } else if (!mod && !event.altKey && key === 'm') {
        toggleMinimap(flow, rfStore);
      }
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [flow, rfStore]);
}

function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return Boolean(selection && !selection.isCollapsed && selection.toString().trim());
}
