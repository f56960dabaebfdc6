/** Top bar: graph name, run controls, history, layout, export/import, help. */
import { useRef, useState } from 'react';
import { cancelRun, exportGraph, importGraphFile, runGraph } from '../state/actions';
import { newGraph } from '../state/session';
import { editorStore, selectedNodeId, useEditor, useHistoryFlags } from '../state/store';
import type { WorkspaceView } from '../state/uiSlice';

function GraphName() {
  const name = useEditor((s) => s.name);
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft.trim() && draft !== name) editorStore.getState().rename(draft.trim());
    setDraft(null);
  };
  return (
    <input
      className="graph-name"
      aria-label="Graph name"
      data-testid="graph-name"
      value={draft ?? name}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

/** Editor or the full-size Runs view of this graph. */
function ViewSwitch() {
  const view = useEditor((s) => s.view);
  const views: { id: WorkspaceView; label: string; title: string }[] = [
    { id: 'editor', label: 'Editor', title: 'The canvas, palette and inspector' },
    { id: 'runs', label: 'Runs', title: 'Every run of this graph: compare, restore, export' },
    { id: 'serving', label: 'Serving', title: 'Endpoints: versions, predict, batch scoring, replay and the monitor' },
  ];
  return (
    <span className="view-switch" role="tablist" aria-label="Workspace">
      {views.map((v) => (
        <button key={v.id} role="tab" aria-selected={view === v.id} title={v.title} data-testid={`view-${v.id}`} onClick={() => editorStore.getState().setView(v.id)}>
          {v.label}
        </button>
      ))}
    </span>
  );
}

export function Toolbar() {
  const running = useEditor((s) => s.running);
  const selected = useEditor(selectedNodeId);
  const { canUndo, canRedo } = useHistoryFlags();
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar" role="toolbar" aria-label="Editor toolbar" data-testid="toolbar">
      <span className="brand">Pipeline Studio</span>
      <GraphName />
      <ViewSwitch />
      <span className="sep" />
      <button className="primary" onClick={() => void runGraph()} disabled={running} data-testid="run" title="Run the pipeline (Ctrl+Enter)">
        ▶ Run
      </button>
      <button onClick={() => selected && void runGraph([selected])} disabled={running || !selected} data-testid="run-to-here" title="Run up to the selected node (Shift+Enter)">
        Run to here
      </button>
      <button onClick={() => void cancelRun()} disabled={!running} data-testid="cancel" title="Cancel the run">
        ■ Cancel
      </button>
      <span className="sep" />
      <button onClick={() => editorStore.getState().undo()} disabled={!canUndo} aria-label="Undo" title="Undo (Ctrl+Z)" data-testid="undo">
        ↶
      </button>
      <button onClick={() => editorStore.getState().redo()} disabled={!canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)" data-testid="redo">
        ↷
      </button>
      <span className="sep" />
      <button onClick={() => void newGraph()} data-testid="new-graph" title="New empty graph">
        New
      </button>
      <button onClick={() => void exportGraph()} data-testid="export" title="Download the graph as JSON">
        Export
      </button>
      <button onClick={() => fileInput.current?.click()} data-testid="import" title="Open a graph file (or drop it on the canvas)">
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importGraphFile(file);
        }}
      />
      <span className="spacer" />
      <button onClick={() => editorStore.getState().setHelpOpen(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
        ?
      </button>
    </header>
  );
}
