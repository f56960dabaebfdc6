/**
 * The Endpoints side tab: deploy a stored model under a name and list the endpoints; each opens
 * in the full-size Serving view (versions, predict, batch scoring, replay, monitor).
 */
import { useEffect, useId, useState } from 'react';
import { endpointWorkerReady } from '../../serving/browser/register';
import { getStores } from '../../state/stores';
import { editorStore, useEditor } from '../../state/store';
import { DamagedRecords } from '../panels/DamagedRecords';
import { useAsync } from '../panels/useAsync';
import { errorMessage } from '../../engine/errors';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function WorkerStatus() {
  const [state, setState] = useState<'waiting' | 'ready' | 'unavailable'>('waiting');
  useEffect(() => {
    let alive = true;
    void endpointWorkerReady().then((ready) => alive && setState(ready ? 'ready' : 'unavailable'));
    return () => {
      alive = false;
    };
  }, []);
  const text = state === 'ready' ? 'endpoint worker active' : state === 'waiting' ? 'starting the endpoint worker…' : 'no service worker: endpoints cannot answer here';
  return (
    <p className={state === 'unavailable' ? 'error-text' : 'muted'} data-testid="endpoint-worker" data-state={state}>
      {text}
    </p>
  );
}

export function DeployForm({ refresh, onDeployed }: { refresh: number; onDeployed: (name: string) => void }) {
  const { value: models } = useAsync(async () => (await getStores()).models.list(), [refresh]);
  const [modelId, setModelId] = useState('');
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  // The form shows in the side tab and in the Serving view: ids stay unique for their labels.
  const id = useId();
  const chosen = modelId || models?.[0]?.id || '';
  const nameOk = NAME.test(name);
  const deploy = async () => {
    try {
      setFailure(null);
      await (await getStores()).endpoints.deploy(name, chosen);
      onDeployed(name);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  if (models && models.length === 0) return <p className="muted">Train a model with "Save to model registry" on (or add a Deploy node) to deploy it here.</p>;
  return (
    <form
      data-testid="deploy-form"
      onSubmit={(e) => {
        e.preventDefault();
        void deploy();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-model`}>Model</label>
        <select id={`${id}-model`} value={chosen} onChange={(e) => setModelId(e.target.value)}>
          {(models ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} v{m.version}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Endpoint name</label>
        <input id={`${id}-name`} value={name} placeholder="e.g. iris" onChange={(e) => setName(e.target.value.trim())} />
        {name !== '' && !nameOk && <span className="field-error">lower-case letters, digits and "-"</span>}
      </div>
      <button className="primary" type="submit" disabled={!chosen || !nameOk}>
        Deploy
      </button>
      {failure && <p className="error-text">{failure}</p>}
    </form>
  );
}

export function EndpointsPanel() {
  const [version, setVersion] = useState(0);
  const library = useEditor((s) => s.libraryVersion);
  const { value: scan, error } = useAsync(async () => (await getStores()).endpoints.scan(), [version, library]);
  const endpoints = scan?.records;
  const changed = () => setVersion((v) => v + 1);
  const open = (name: string) => editorStore.getState().openServing(name);
  return (
    <div className="panel-body" data-testid="endpoints-panel">
      <WorkerStatus />
      <DeployForm
        refresh={version}
        onDeployed={(name) => {
          changed();
          open(name);
        }}
      />
      {error && <p className="error-text">{error}</p>}
      {/* Deploy nodes write from the engine worker: the list reloads on demand. */}
      <button data-testid="refresh-endpoints" onClick={changed}>
        Refresh
      </button>
      {endpoints?.length === 0 && !scan?.damaged.length && <p className="muted">No endpoints yet (deploy a stored model above, or add a Deploy node to a graph).</p>}
      <ul className="endpoint-list">
        {(endpoints ?? []).map((e) => (
          <li key={e.name}>
            <button data-testid={`open-endpoint-${e.name}`} title="Open in the Serving view: versions, predict, batch scoring, replay, monitor" onClick={() => open(e.name)}>
              {e.name} <span className="muted">v{e.live ?? '–'} · {e.versions.length} version(s)</span> →
            </button>
          </li>
        ))}
      </ul>
      <DamagedRecords damaged={scan?.damaged} what="endpoint" remove={async (name) => (await getStores()).endpoints.delete(name)} />
    </div>
  );
}
