/**
 * Serving and monitoring, full size (a workspace view beside the editor and Runs): the endpoints
 * on the left, the chosen one on the right — its versions, a predict form laid out in columns,
 * batch scoring, replay, and the monitor (traffic, latency percentiles, predictions vs training,
 * per-feature drift). Loaded on first use (React.lazy in App).
 */
import { useState } from 'react';
import type { EndpointMeta } from '../../engine/services';
import { getStores, modelPipeline } from '../../state/stores';
import { editorStore, useEditor } from '../../state/store';
import { Boundary } from '../Boundary';
import { DamagedRecords } from '../panels/DamagedRecords';
import { useAsync } from '../panels/useAsync';
import { BatchScore } from './BatchScore';
import { DeployForm, WorkerStatus } from './EndpointsPanel';
import { MonitorView } from './MonitorView';
import { PredictForm } from './PredictForm';
import { ReplayForm } from './ReplayForm';
import { errorMessage } from '../../engine/errors';
import './serving.css';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

function Versions({ meta, onChange }: { meta: EndpointMeta; onChange: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    try {
      setFailure(null);
      await action();
      onChange();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <div data-testid="endpoint-versions">
      <div className="table-scroll">
        <table className="wide-table">
          <thead>
            <tr>
              <th>version</th>
              <th>model</th>
              <th>deployed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...meta.versions].reverse().map((v) => (
              <tr key={v.version} data-live={v.version === meta.live}>
                <td>v{v.version}</td>
                <td className="ellipsis" title={v.note ? `${v.modelName} — ${v.note}` : v.modelName}>
                  {v.modelName}
                </td>
                <td>{when(v.deployedAt)}</td>
                <td>
                  {v.version === meta.live ? (
                    <b className="live-badge">live</b>
                  ) : (
                    <button onClick={() => void act(async () => (await getStores()).endpoints.promote(meta.name, v.version))}>Promote</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row" style={{ marginTop: 6 }}>
        <button disabled={meta.previous.length === 0} onClick={() => void act(async () => (await getStores()).endpoints.rollback(meta.name))}>
          Roll back
        </button>
        <button
          className="danger"
          onClick={() => {
            if (confirm(`Delete endpoint "${meta.name}" and its prediction log? The models stay in the model store.`)) void act(async () => (await getStores()).endpoints.delete(meta.name));
          }}
        >
          Delete
        </button>
      </div>
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
    <div className="serving-detail" data-testid={`endpoint-${name}`}>
      <header className="serving-detail-head">
        <h2>{name}</h2>
        <span className="muted">
          POST <code>/api/endpoints/{name}/predict</code> · live v{meta.live ?? '–'}
        </span>
      </header>
      <div className="serving-grid">
        <section className="card">
          <h3>Versions</h3>
          <Versions meta={meta} onChange={onChange} />
          {!live && <p className="muted">No live version: promote one.</p>}
        </section>
        {pipeline && live && (
          <>
            <section className="card span-2">
              <h3>Predict</h3>
              <PredictForm endpoint={name} pipeline={pipeline} onAnswered={bump} />
            </section>
            <section className="card">
              <h3>Batch scoring</h3>
              <BatchScore endpoint={name} pipeline={pipeline} onScored={bump} />
            </section>
            <section className="card span-2">
              <h3>Replay traffic</h3>
              <ReplayForm endpoint={name} pipeline={pipeline} onProgress={bump} />
            </section>
            <section className="card full">
              <h3>Monitor</h3>
              <Boundary what="The monitor" resetKeys={[name, meta.live]}>
                <MonitorView endpoint={name} liveVersion={meta.live} pipeline={pipeline} refresh={traffic} />
              </Boundary>
            </section>
          </>
        )}
      </div>
    </div>
  );
}

export function ServingView() {
  const [version, setVersion] = useState(0);
  const library = useEditor((s) => s.libraryVersion);
  const chosen = useEditor((s) => s.servingEndpoint);
  const { value: scan, error } = useAsync(async () => (await getStores()).endpoints.scan(), [version, library]);
  const endpoints = scan?.records;
  const changed = () => setVersion((v) => v + 1);
  const open = (name: string) => editorStore.getState().openServing(name);
  const shown = endpoints?.find((e) => e.name === chosen)?.name ?? endpoints?.[0]?.name ?? null;
  return (
    <div className="serving-view" data-testid="serving-view">
      <nav className="serving-list" aria-label="Endpoints">
        <h2>Endpoints</h2>
        <WorkerStatus />
        <ul className="endpoint-list">
          {(endpoints ?? []).map((e) => (
            <li key={e.name}>
              <button data-testid={`serving-endpoint-${e.name}`} aria-current={e.name === shown ? 'page' : undefined} onClick={() => open(e.name)}>
                <b>{e.name}</b> <span className="muted">v{e.live ?? '–'} · {e.versions.length} version(s)</span>
              </button>
            </li>
          ))}
        </ul>
        {endpoints?.length === 0 && <p className="muted">None yet.</p>}
        {error && <p className="error-text">{error}</p>}
        <button data-testid="serving-refresh" onClick={changed}>
          Refresh
        </button>
        <h3>Deploy a model</h3>
        <DeployForm
          refresh={version}
          onDeployed={(name) => {
            changed();
            open(name);
          }}
        />
        <DamagedRecords damaged={scan?.damaged} what="endpoint" remove={async (name) => (await getStores()).endpoints.delete(name)} />
      </nav>
      <main className="serving-main">
        {shown ? (
          <Boundary what={`The endpoint “${shown}”`} resetKeys={[shown, version]}>
            <EndpointDetail key={shown} name={shown} version={version} onChange={changed} />
          </Boundary>
        ) : (
          endpoints && (
            <section className="card serving-empty" data-testid="serving-empty">
              <h3>No endpoint yet</h3>
              <p>An endpoint answers predictions over HTTP from this page, scores files in batches, and monitors its traffic for drift. To make one:</p>
              <ol>
                <li>add a Deploy node after the Train node of a graph (a Monitor node after it reports the traffic) and press Run, or</li>
                <li>turn on “Save to model registry” on a Train node, run it, and deploy the stored model on the left.</li>
              </ol>
            </section>
          )
        )}
      </main>
    </div>
  );
}
