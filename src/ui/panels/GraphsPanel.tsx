/** Stored graphs: open, new, rename, duplicate, delete; plus the templates. */
import { getStores } from '../../state/stores';
import { newGraph, openGraph } from '../../state/session';
import { editorStore, useEditor } from '../../state/store';
import { TemplateList } from '../canvas/EmptyCanvas';
import { DamagedRecords } from './DamagedRecords';
import { NewFromDataButton } from './NewFromDataButton';
import { useAsync } from './useAsync';
import { errorMessage } from '../../engine/errors';

export function GraphsPanel() {
  const version = useEditor((s) => s.libraryVersion);
  const currentId = useEditor((s) => s.graphId);
  const currentName = useEditor((s) => s.name);
  const { value: scan, error } = useAsync(async () => (await getStores()).graphs.scan(), [version, currentName]);
  const graphs = scan?.records;
  const toast = (e: unknown) => editorStore.getState().toast('error', errorMessage(e));

  const rename = async (id: string, name: string) => {
    const next = prompt('Rename graph', name);
    if (!next?.trim()) return;
    // The open graph is renamed through the editor so autosave keeps its revision in step.
    if (id === currentId) editorStore.getState().rename(next.trim());
    else await (await getStores()).graphs.rename(id, next).catch(toast);
    editorStore.getState().bumpLibrary();
  };
  const duplicate = async (id: string) => {
    try {
      const copy = await (await getStores()).graphs.duplicate(id);
      await openGraph(copy.id);
      editorStore.getState().bumpLibrary();
    } catch (e) {
      toast(e);
    }
  };
  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete “${name}”? This cannot be undone.`)) return;
    try {
      await (await getStores()).graphs.delete(id);
      if (id === currentId) {
        const rest = await (await getStores()).graphs.list();
        if (rest.length) await openGraph(rest[0].id);
        else await newGraph();
      }
      editorStore.getState().bumpLibrary();
    } catch (e) {
      toast(e);
    }
  };

  return (
    <div className="panel-body" data-testid="graphs-panel">
      <div className="row">
        <button onClick={() => void newGraph()}>New graph</button>
        <NewFromDataButton />
      </div>
      {error && <p className="error-text">{error}</p>}
      <ul className="list" aria-label="Saved graphs">
        {graphs?.map((g) => (
          <li key={g.id} className={g.id === currentId ? 'current' : undefined} data-testid="graph-item">
            <button style={{ textAlign: 'left', border: 'none', padding: 0, fontWeight: 600 }} onClick={() => void openGraph(g.id)} aria-label={`Open ${g.name}`}>
              {g.name}
            </button>
            <span className="muted">
              {g.nodeCount} nodes · {new Date(g.updatedAt).toLocaleString()}
            </span>
            <div className="row">
              <button onClick={() => void rename(g.id, g.name)} aria-label={`Rename ${g.name}`}>
                Rename
              </button>
              <button onClick={() => void duplicate(g.id)} aria-label={`Duplicate ${g.name}`}>
                Duplicate
              </button>
              <button className="danger" onClick={() => void remove(g.id, g.name)} aria-label={`Delete ${g.name}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <DamagedRecords damaged={scan?.damaged} what="graph" remove={async (id) => (await getStores()).graphs.delete(id)} />
      <h3 style={{ margin: '8px 0 0', fontSize: 12 }}>Templates</h3>
      <TemplateList />
    </div>
  );
}
