/** Left side panel: node palette, graphs, datasets, models (tabs). */
import { editorStore, useEditor } from '../state/store';
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
  { id: 'endpoints' as SideTab, label: 'Endpoints' },
];

export function SidePanel() {
  const tab = useEditor((s) => s.sideTab);
  return (
    <aside className="side" aria-label="Side panel">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} data-testid={`tab-${t.id}`} onClick={() => editorStore.getState().setSideTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'nodes' && <Palette />}
        {tab === 'graphs' && <GraphsPanel />}
        {tab === 'datasets' && <DatasetsPanel />}
        {tab === 'models' && <ModelsPanel />}
        {(tab as string) === 'endpoints' && <EndpointsPanel />}
      </div>
    </aside>
  );
}
