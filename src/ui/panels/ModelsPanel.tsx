/** Stored models: compare metrics, rename, delete, export/import zip, and predict one record. */
import { useRef, useState } from 'react';
import type { PredictResult } from '../../runtime/protocol';
import { downloadBytes, fileSafeName } from '../../state/actions';
import { getEngine } from '../../state/engine';
import { getStores, modelPipeline } from '../../state/stores';
import { editorStore, useEditor } from '../../state/store';
import { formatNumber } from '../output/views';
import { DamagedRecords } from './DamagedRecords';
import { useAsync } from './useAsync';
import { PredictionResult } from './PredictionResult';
import { errorMessage } from '../../engine/errors';

function PredictForm({ modelId }: { modelId: string }) {
  const { value: pipeline, error } = useAsync(() => modelPipeline(modelId), [modelId]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<PredictResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (error) return <p className="error-text">{error}</p>;
  if (!pipeline) return <p className="muted">Loading…</p>;
  const predict = async () => {
    const record: Record<string, unknown> = {};
    for (const column of pipeline.rawSchema) {
      if (column.name === pipeline.target.name) continue;
      const text = values[column.name] ?? '';
      record[column.name] = text === '' ? null : column.dtype === 'number' ? Number(text) : text;
    }
    try {
      setFailure(null);
      setResult(await (await getEngine()).predict(modelId, record));
    } catch (e) {
      setResult(null);
      setFailure(errorMessage(e));
    }
  };
  return (
    <form
      data-testid="predict-form"
      onSubmit={(e) => {
        e.preventDefault();
        void predict();
      }}
    >
      {pipeline.rawSchema
        .filter((c) => c.name !== pipeline.target.name)
        .map((c) => (
          <div className="field" key={c.name}>
            <label htmlFor={`predict-${c.name}`}>
              {c.name} <span className="muted">({c.dtype})</span>
            </label>
            {c.categories ? (
              <select id={`predict-${c.name}`} value={values[c.name] ?? ''} onChange={(e) => setValues({ ...values, [c.name]: e.target.value })}>
                <option value="">(missing)</option>
                {c.categories.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            ) : (
              <input id={`predict-${c.name}`} value={values[c.name] ?? ''} inputMode={c.dtype === 'number' ? 'decimal' : undefined} onChange={(e) => setValues({ ...values, [c.name]: e.target.value })} />
            )}
          </div>
        ))}
      <button className="primary" type="submit">
        Predict
      </button>
      {failure && <p className="error-text">{failure}</p>}
      {result && <PredictionResult target={pipeline.target.name} result={result} latency={`${result.latencyMs.toFixed(1)} ms`} testId="prediction" />}
    </form>
  );
}

export function ModelsPanel() {
  const version = useEditor((s) => s.libraryVersion);
  const { value: scan, error } = useAsync(async () => (await getStores()).models.scan(), [version]);
  const models = scan?.records;
  const [compare, setCompare] = useState<Set<string>>(new Set());
  const [predictId, setPredictId] = useState<string | null>(null);
  const zipInput = useRef<HTMLInputElement>(null);
  const fail = (e: unknown) => editorStore.getState().toast('error', errorMessage(e));
  const refresh = () => editorStore.getState().bumpLibrary();

  const rename = async (id: string, name: string) => {
    const next = prompt('Rename model', name);
    if (!next?.trim()) return;
    await (await getStores()).models.rename(id, next.trim()).then(refresh, fail);
  };
  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete model “${name}”?`)) return;
    await (await getStores()).models.delete(id).then(refresh, fail);
  };
  const exportZip = async (id: string, name: string, version: number) => {
    try {
      await downloadBytes(`${fileSafeName(name)}-v${version}.zip`, await (await getEngine()).exportModel(id), 'application/zip');
    } catch (e) {
      fail(e);
    }
  };
  const exportOnnx = async (id: string, name: string, version: number) => {
    try {
      await downloadBytes(`${fileSafeName(name)}-v${version}.onnx`, await (await getEngine()).exportOnnx(id), 'application/octet-stream');
    } catch (e) {
      // The worker's refusal names the layer or step that does not map (e.g. a CNN's Conv2D).
      editorStore.getState().toast('error', `Cannot export “${name}” to ONNX: ${errorMessage(e)}`);
    }
  };
  const importZip = async (file: File) => {
    try {
      await (await getEngine()).importModel(new Uint8Array(await file.arrayBuffer()));
      editorStore.getState().toast('info', `Imported model from ${file.name}`);
      refresh();
    } catch (e) {
      fail(e);
    }
  };

  const chosen = models?.filter((m) => compare.has(m.id)) ?? [];
  const metricNames = [...new Set(chosen.flatMap((m) => Object.keys(m.metrics ?? {})))];

  return (
    <div className="panel-body" data-testid="models-panel">
      <div className="row">
        <button onClick={() => zipInput.current?.click()}>Import zip…</button>
        <input
          ref={zipInput}
          type="file"
          accept=".zip,application/zip"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importZip(file);
          }}
        />
      </div>
      {error && <p className="error-text">{error}</p>}
      {models?.length === 0 && !scan?.damaged.length && <p className="muted">No models yet: a train node saves its model here.</p>}
      <ul className="list">
        {models?.map((m) => (
          <li key={m.id} data-testid="model-item">
            <label className="row">
              <input
                type="checkbox"
                checked={compare.has(m.id)}
                onChange={(e) => {
                  const next = new Set(compare);
                  if (e.target.checked) next.add(m.id);
                  else next.delete(m.id);
                  setCompare(next);
                }}
                aria-label={`Compare ${m.name} v${m.version}`}
              />
              <b>
                {m.name} v{m.version}
              </b>
            </label>
            <span className="muted">
              {m.target.task} → {m.target.name} · {new Date(m.createdAt).toLocaleString()}
            </span>
            <div className="row">
              <button onClick={() => setPredictId(predictId === m.id ? null : m.id)} aria-expanded={predictId === m.id}>
                Predict
              </button>
              <button onClick={() => void exportZip(m.id, m.name, m.version)}>Export zip</button>
              <button onClick={() => void exportOnnx(m.id, m.name, m.version)} title="The model and its fitted preprocessing as one ONNX graph over the raw columns (dense models: linear, logistic, MLP)">
                Export ONNX
              </button>
              <button onClick={() => void rename(m.id, m.name)}>Rename</button>
              <button className="danger" onClick={() => void remove(m.id, m.name)}>
                Delete
              </button>
            </div>
            {predictId === m.id && <PredictForm modelId={m.id} />}
          </li>
        ))}
      </ul>
      <DamagedRecords damaged={scan?.damaged} what="model" remove={async (id) => (await getStores()).models.delete(id)} />
      {chosen.length > 0 && (
        <div className="view" data-testid="model-compare">
          <h3>Compare</h3>
          <table>
            <thead>
              <tr>
                <th>metric</th>
                {chosen.map((m) => (
                  <th key={m.id}>
                    {m.name} v{m.version}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metricNames.map((name) => (
                <tr key={name}>
                  <td>{name}</td>
                  {chosen.map((m) => (
                    <td key={m.id} className="num">
                      {formatNumber(m.metrics?.[name])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
