/** Bottom bar: backend in use and why, backend setting, save state, run state. */
import { useEffect, useState } from 'react';
import type { BackendPreference } from '../runtime/protocol';
import { effectiveBackendPreference, initBackend } from '../state/actions';
import { getSaveState, onSaveState, type SaveState } from '../state/session';
import { BACKEND_PREFERENCES, backendFromUrl } from '../state/settings';
import { editorStore, useEditor } from '../state/store';
import { backendDetail, backendHeadline } from './backendLabel';

const SAVE_LABEL: Record<SaveState, string> = {
  saved: 'Saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  error: 'Not saved (error)',
  conflict: 'Not saved (changed in another tab)',
};

function useSaveState(): SaveState {
  const [state, setState] = useState(getSaveState);
  useEffect(() => onSaveState(setState), []);
  return state;
}

export function StatusBar() {
  const backend = useEditor((s) => s.backend);
  const backendError = useEditor((s) => s.backendError);
  const preference = useEditor((s) => s.settings.backendPreference);
  const running = useEditor((s) => s.running);
  const lastRun = useEditor((s) => s.lastRun);
  const nodeCount = useEditor((s) => s.nodes.length);
  const save = useSaveState();
  const forced = backendFromUrl(location.search);

  const choose = (value: BackendPreference) => {
    editorStore.getState().updateSettings({ backendPreference: value });
    if (!editorStore.getState().running) void initBackend(effectiveBackendPreference());
  };

  return (
    <footer className="statusbar" aria-label="Status" data-testid="status-bar">
      <span className="backend" data-testid="backend-status" data-backend={backend?.name} title={backend ? backendDetail(backend) : undefined}>
        {backend ? backendHeadline(backend) : backendError ? <span className="error-text">Cannot compute here: {backendError}</span> : 'Starting the compute backend…'}
      </span>
      <label>
        Backend{' '}
        <select aria-label="Backend preference" value={forced ?? preference} disabled={Boolean(forced)} onChange={(e) => choose(e.target.value as BackendPreference)} data-testid="backend-select">
          {BACKEND_PREFERENCES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {forced && <span className="muted"> (forced by ?backend=)</span>}
      </label>
      <span data-testid="run-status">{running ? 'Running…' : lastRun ? (lastRun.cancelled ? 'Run cancelled' : lastRun.ok ? 'Run finished' : 'Run failed') : ''}</span>
      <span data-testid="node-count">{nodeCount} nodes</span>
      <span data-testid="save-status" data-state={save}>
        {SAVE_LABEL[save]}
      </span>
    </footer>
  );
}
