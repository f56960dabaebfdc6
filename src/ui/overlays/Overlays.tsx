/** Help, import errors, conflict banner and toasts. */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { keepMineAsCopy, reloadFromStore } from '../../state/session';
import { editorStore, useEditor } from '../../state/store';
import type { FlowEdge, FlowNode } from '../canvas/flow-mapping';
import { revealNode, type Flow, type FlowStore } from '../canvas/view';
import { SHORTCUTS } from '../shortcuts';

function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: React.ReactNode; testId: string }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 10 }}>
          <button ref={closeButton} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export function HelpOverlay() {
  const open = useEditor((s) => s.helpOpen);
  if (!open) return null;
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => editorStore.getState().setHelpOpen(false)} testId="help">
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                {s.keys.split(' / ').map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

export function ImportErrorDialog() {
  const error = useEditor((s) => s.importError);
  if (!error) return null;
  return (
    <Dialog title={error.title} onClose={() => editorStore.getState().setImportError(null)} testId="import-error">
      <p className="muted">Nothing was imported; the open graph is unchanged.</p>
      <ul>
        {error.messages.map((m, i) => (
          <li key={i} className="error-text">
            {m}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function ConflictBanner() {
  const conflict = useEditor((s) => s.conflict);
  if (!conflict) return null;
  return (
    <div className="banner" role="alert" data-testid="conflict-banner">
      <span>{conflict}</span>
      <button className="primary" onClick={() => void reloadFromStore()}>
        Reload saved version
      </button>
      <button onClick={() => void keepMineAsCopy()}>Keep mine as a copy</button>
    </div>
  );
}

const TOAST_MS = 6000;

/** Brings the editor forward with the node selected (its inspector and output in view) and panned into view. */
function showNode(nodeId: string, flow: Flow, flowStore: FlowStore): void {
  const store = editorStore.getState();
  if (!store.nodes.some((n) => n.id === nodeId)) return;
  store.setView('editor');
  store.selectOnly([nodeId]);
  // After the editor is laid out again (it was hidden under another view).
  requestAnimationFrame(() => revealNode(flow, flowStore, nodeId));
}

/**
 * In the editor, toasts sit over the canvas's column, no wider than it, so a long message
 * covers neither the side panel nor the inspector (at 1024 px a window-centred one did);
 * in the other views, over the window.
 */
function useToastFrame(showing: boolean): CSSProperties | undefined {
  const view = useEditor((s) => s.view);
  const [frame, setFrame] = useState<{ center: number; width: number } | null>(null);
  useEffect(() => {
    const column = document.getElementById('workspace-center');
    if (!showing || view !== 'editor' || !column) return;
    // Called once as observing starts, then on every change. The side panel too: resizing it
    // moves the column without always resizing it.
    const observer = new ResizeObserver(() => {
      const box = column.getBoundingClientRect();
      setFrame({ center: box.left + box.width / 2, width: box.width });
    });
    observer.observe(column);
    const side = document.getElementById('workspace-side');
    if (side) observer.observe(side);
    return () => observer.disconnect();
  }, [showing, view]);
  return showing && view === 'editor' && frame ? { left: frame.center, maxWidth: Math.max(200, frame.width - 24) } : undefined;
}

export function Toasts() {
  const toasts = useEditor((s) => s.toasts);
  const frame = useToastFrame(toasts.length > 0);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const flowStore = useStoreApi<FlowNode, FlowEdge>();
  useEffect(() => {
    if (!toasts.length) return;
    const oldest = toasts[0];
    const timer = setTimeout(() => editorStore.getState().dismissToast(oldest.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toasts]);
  return (
    <div className="toasts" role="status" aria-live="polite" style={frame}>
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} data-testid="toast" data-node={t.nodeId}>
          {t.nodeId ? (
            <button className="toast-text" title="Select this node" onClick={() => showNode(t.nodeId!, flow, flowStore)}>
              {t.text}
            </button>
          ) : (
            <span className="toast-text">{t.text}</span>
          )}
          {t.count > 1 && (
            <span className="toast-count" data-testid="toast-count" aria-label={`${t.count} times`}>
              ×{t.count}
            </span>
          )}
          <button aria-label="Dismiss" onClick={() => editorStore.getState().dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
