/** Left side panel: node palette, graphs, datasets, models (tabs). */
import { lazy, Suspense } from 'react';
import { editorStore, useEditor } from '../state/store';
import { Boundary } from './Boundary';
import type { SideTab } from '../state/uiSlice';
import { Palette } from './palette/Palette';

// Tabs other than the palette load when first opened.
const GraphsPanel = lazy(() => import('./panels/GraphsPanel').then((m) => ({ default: m.GraphsPanel })));
const DatasetsPanel = lazy(() => import('./panels/DatasetsPanel').then((m) => ({ default: m.DatasetsPanel })));
const ModelsPanel = lazy(() => import('./panels/ModelsPanel').then((m) => ({ default: m.ModelsPanel })));
const EndpointsPanel = lazy(() => import('./serving/EndpointsPanel').then((m) => ({ default: m.EndpointsPanel })));

const TABS: { id: SideTab; label: string }[] = [
  { id: 'nodes', label: 'Nodes' },
  { id: 'graphs', label: 'Graphs' },
  { id: 'datasets', label: 'Datasets' },
  { id: 'models', label: 'Models' },
  { id: 'endpoints', label: 'Endpoints' },
];

export function SidePanel() {
  const tab = useEditor((s) => s.sideTab);
  const version = useEditor((s) => s.libraryVersion);
  const label = TABS.find((t) => t.id === tab)?.label ?? tab;
  return (
    <aside className="side" aria-label="Side panel" data-testid="side-panel">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} data-testid={`tab-${t.id}`} onClick={() => editorStore.getState().setSideTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <Boundary what={`The ${label} tab`} resetKeys={[tab, version]}>
          {tab === 'nodes' && <Palette />}
          <Suspense fallback={<p className="muted">Loading…</p>}>
            {tab === 'graphs' && <GraphsPanel />}
            {tab === 'datasets' && <DatasetsPanel />}
            {tab === 'models' && <ModelsPanel />}
            {tab === 'endpoints' && <EndpointsPanel />}
          </Suspense>
        </Boundary>
      </div>
    </aside>
  );
}
