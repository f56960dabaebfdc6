/**
 * Endpoints: deploy a stored model under a name, promote/roll back versions, predict one record
 * and batch-score a file through the same-origin HTTP endpoint (the service worker), replay a
 * dataset's rows (optionally shifted) and watch the monitor react.
 */
import { useEffect, useState } from 'react';
import type { EndpointMeta } from '../../engine/services';
import { endpointWorkerReady } from '../../serving/browser/register';
import { getStores, modelPipeline } from '../../state/engine';
import { useEditor } from '../../state/store';
import { DamagedRecords } from '../panels/DamagedRecords';
import { errorText, useAsync } from '../panels/useAsync';
import { BatchScore } from './BatchScore';
import { MonitorView } from './MonitorView';
import { PredictForm } from './PredictForm';
import { ReplayForm } from './ReplayForm';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function WorkerStatus() {
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

function DeployForm({ refresh, onDeployed }: { refresh: number; onDeployed: (name: string) => void }) {
  const { value: models } = useAsync(async () => (await getStores()).models.list(), [refresh]);
  const [modelId, setModelId] = useState('');
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const chosen = modelId || models?.[0]?.id || '';
  const nameOk = NAME.test(name);
  const deploy = async () => {
    try {
      setFailure(null);
      await (await getStores()).endpoints.deploy(name, chosen);
      onDeployed(name);
    } catch (error) {
      setFailure(errorText(error));
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
        <label htmlFor="deploy-model">Model</label>
        <select id="deploy-model" value={chosen} onChange={(e) => setModelId(e.target.value)}>
          {(models ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} v{m.version}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="deploy-name">Endpoint name</label>
        <input id="deploy-name" value={name} placeholder="e.g. iris" onChange={(e) => setName(e.target.value.trim())} />
        {name !== '' && !nameOk && <span className="field-error">lower-case letters, digits and "-"</span>}
      </div>
      <button className="primary" type="submit" disabled={!chosen || !nameOk}>
        Deploy
      </button>
      {failure && <p className="error-text">{failure}</p>}
    </form>
  );
}

function Versions({ meta, onChange }: { meta: EndpointMeta; onChange: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    try {
      setFailure(null);
      await action();
      onChange();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <div data-testid="endpoint-versions">
      <table>
        <tbody>
          {[...meta.versions].reverse().map((v) => (
            <tr key={v.version} data-live={v.version === meta.live}>
              <td>v{v.version}</td>
              <td title={v.note}>{v.modelName}</td>
              <td>
                {v.version === meta.live ? (
                  <b>live</b>
                ) : (
                  <button onClick={() => void act(async () => (await getStores()).endpoints.promote(meta.name, v.version))}>Promote</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button disabled={meta.previous.length === 0} onClick={() => void act(async () => (await getStores()).endpoints.rollback(meta.name))}>
        Roll back
      </button>{' '}
      <button
        onClick={() => {
          if (confirm(`Delete endpoint "${meta.name}" and its prediction log? The models stay in the model store.`)) void act(async () => (await getStores()).endpoints.delete(meta.name));
        }}
      >
        Delete
      </button>
      {failure && <p className="error-text">{failure}</p>}
    </div>
  );
}

function EndpointDetail({ name, version, onChange }: { name: string; version: number; onChange: () => void }) {
  const { value: meta, error } = useAsync(async () => (await getStores()).endpoints.get(name), [name, version]);
  const live = meta?.versions.find((v) => v.version === meta.live);
  const { value: pipeline } = useAsync(async () => (live ? modelPipeline(live.modelId) : undefined), [live?.modelId]);
  const [traffic, setTraffic] = useState(0);
  if (error) return <p className="error-text">{error}</p>;
  if (!meta) return <p className="muted">Loading…</p>;
  const bump = () => setTraffic((n) => n + 1);
  return (
    <div className="panel-body" data-testid={`endpoint-${name}`}>
      <p className="muted">
        POST <code>/api/endpoints/{name}/predict</code>
      </p>
      <Versions meta={meta} onChange={onChange} />
      {pipeline && live && (
        <>
          <h4>Predict</h4>
          <PredictForm endpoint={name} pipeline={pipeline} onAnswered={bump} />
          <h4>Batch scoring</h4>
          <BatchScore endpoint={name} pipeline={pipeline} onScored={bump} />
          <h4>Replay traffic</h4>
          <ReplayForm endpoint={name} pipeline={pipeline} onProgress={bump} />
          <h4>Monitor</h4>
          <MonitorView endpoint={name} liveVersion={meta.live} pipeline={pipeline} refresh={traffic} />
        </>
      )}
      {!live && <p className="muted">No live version: promote one.</p>}
    </div>
  );
}

export function EndpointsPanel() {
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const library = useEditor((s) => s.libraryVersion);
  const { value: scan, error } = useAsync(async () => (await getStores()).endpoints.scan(), [version, library]);
  const endpoints = scan?.records;
  const changed = () => setVersion((v) => v + 1);
  return (
    <div className="panel-body" data-testid="endpoints-panel">
      <WorkerStatus />
      <DeployForm
        refresh={version}
        onDeployed={(name) => {
          setOpen(name);
          changed();
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
            <button data-testid={`open-endpoint-${e.name}`} aria-expanded={open === e.name} onClick={() => setOpen(open === e.name ? null : e.name)}>
              {e.name} <span className="muted">v{e.live ?? '–'} · {e.versions.length} version(s)</span>
            </button>
            {open === e.name && <EndpointDetail name={e.name} version={version} onChange={changed} />}
          </li>
        ))}
      </ul>
      <DamagedRecords damaged={scan?.damaged} what="endpoint" remove={async (name) => (await getStores()).endpoints.delete(name)} />
    </div>
  );
}
