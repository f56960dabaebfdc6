/** Left side panel: node palette, graphs, datasets, models (tabs). */
import { editorStore, useEditor } from '../state/store';
import { Boundary } from './Boundary';
import type { SideTab } from '../state/uiSlice';
import { DatasetsPanel } from './panels/DatasetsPanel';
import { GraphsPanel } from './panels/GraphsPanel';
import { ModelsPanel } from './panels/ModelsPanel';
import { Palette } from './palette/Palette';
import { EndpointsPanel } from './serving/EndpointsPanel';

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
          {tab === 'graphs' && <GraphsPanel />}
          {tab === 'datasets' && <DatasetsPanel />}
          {tab === 'models' && <ModelsPanel />}
          {tab === 'endpoints' && <EndpointsPanel />}
        </Boundary>
      </div>
    </aside>
  );
}
