/** The editor layout: toolbar, side panel, canvas + output, inspector, status bar, overlays. */
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect } from 'react';
import { initBackend } from '../state/actions';
import { startSession } from '../state/session';
import { editorStore, useEditor } from '../state/store';
import { ConflictBanner, HelpOverlay, ImportErrorDialog, Toasts } from './overlays/Overlays';
import { QuickAdd } from './palette/QuickAdd';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { useEditorKeys } from './useEditorKeys';
import { WorkspaceLayout } from './WorkspaceLayout';
import { errorMessage } from '../engine/errors';

/** Loaded on first use: not needed before the first interaction. */
// Full-size views load when opened: the page's first chunks hold the editor only.
const RunsView = lazy(() => import('./runs/RunsView').then((m) => ({ default: m.RunsView })));
const ServingView = lazy(() => import('./serving/ServingView').then((m) => ({ default: m.ServingView })));

function Editor() {
  useEditorKeys();
  const ready = useEditor((s) => s.sessionReady);
  const view = useEditor((s) => s.view);
  return (
    <div className="app" data-ready={ready} data-testid="app">
      <div>
        <Toolbar />
        <ConflictBanner />
      </div>
      {/* Hidden, not unmounted, under the Runs view: the canvas keeps its viewport and measurements. */}
      <div className="workspace" hidden={view !== 'editor'}>
        <WorkspaceLayout />
      </div>
      {view === 'runs' && (
        <Suspense fallback={<p className="muted view-loading">Loading the runs view…</p>}>
          <RunsView />
        </Suspense>
      )}
      {view === 'serving' && (
        <Suspense fallback={<p className="muted view-loading">Loading the serving view…</p>}>
          <ServingView />
        </Suspense>
      )}
      <StatusBar />
      <QuickAdd />
      <HelpOverlay />
      <ImportErrorDialog />
      <Toasts />
    </div>
  );
}

export function App() {
  useEffect(() => {
    startSession().catch((error: unknown) => editorStore.getState().toast('error', `Could not open storage: ${errorMessage(error)}`));
    void initBackend();
  }, []);
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
