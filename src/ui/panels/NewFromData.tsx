/**
 * "New from data": pick or drop a data file, choose the target from its columns, say whether
 * the rows are ordered in time → a normal, editable graph built by src/auto (the same builder
 * as `pipeline-studio auto`), with every decision listed here and written on its node.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { AutoPipelineError, buildAutoPipeline, inferTask, type AutoPipeline } from '../../auto/build';
import type { DataProfile } from '../../auto/profile';
import { graphFileDocument } from '../../engine/graph-file';
import { DATA_FILE_EXTENSIONS, DATA_FILE_NODE, isDataFileName, profileDataFile } from '../../state/files';
import { editorRegistry, restoreGraph } from '../../state/graphFile';
import { openUnsaved } from '../../state/session';
import { layoutPositions } from '../canvas/layout';
import { errorMessage } from '../../engine/errors';

type Loaded = { file: string; params: Record<string, unknown>; profile: DataProfile };

function build(loaded: Loaded, target: string, timeOrdered: boolean): AutoPipeline | string {
  try {
    return buildAutoPipeline({
      profile: loaded.profile,
      target,
      timeOrdered,
      source: { type: DATA_FILE_NODE, params: loaded.params, label: loaded.file },
      importance: editorRegistry().get('evaluate.importance') !== undefined,
    });
  } catch (error) {
    if (error instanceof AutoPipelineError) return error.message;
    throw error;
  }
}

/** Opens the built graph through the one restore path, laid out like any graph the canvas arranges. */
async function openBuilt(auto: AutoPipeline): Promise<void> {
  const { graph } = await restoreGraph(graphFileDocument(auto.graph, editorRegistry()));
  const positions = await layoutPositions(
    graph.nodes.map((n) => ({ id: n.id })),
    graph.edges.map((e) => ({ source: e.from.node, target: e.to.node })),
  );
  await openUnsaved({ ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position })), viewport: undefined });
}

export function NewFromDataDialog({ onClose }: { onClose: () => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [reading, setReading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [timeOrdered, setTimeOrdered] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [building, setBuilding] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);

  const take = async (file: File | undefined) => {
    if (!file) return;
    if (!isDataFileName(file.name)) {
      setError(`${file.name} is not a data file: choose a ${DATA_FILE_EXTENSIONS.join(', ')} file.`);
      return;
    }
    setError(null);
    setLoaded(null);
    setTarget('');
    setReading(file.name);
    try {
      const { params, profile } = await profileDataFile(file);
      if (profile.columns.length < 2) throw new Error(`${file.name} has ${profile.columns.length} column: a pipeline needs a target and at least one feature.`);
      setLoaded({ file: file.name, params, profile });
    } catch (e) {
      setError(`Could not read ${file.name}: ${errorMessage(e)}`);
    } finally {
      setReading(null);
    }
  };

  const result = useMemo(() => (loaded && target ? build(loaded, target, timeOrdered) : null), [loaded, target, timeOrdered]);
  const dates = loaded?.profile.columns.filter((c) => c.dtype === 'datetime' && c.name !== target).map((c) => c.name) ?? [];
  const targetColumn = loaded?.profile.columns.find((c) => c.name === target);

  const create = async () => {
    if (!result || typeof result === 'string') return;
    setBuilding(true);
    try {
      await openBuilt(result);
      onClose();
    } catch (e) {
      setError(`Could not open the pipeline: ${errorMessage(e)}`);
      setBuilding(false);
    }
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()} onDrop={(e) => e.stopPropagation()} onDragOver={(e) => e.stopPropagation()}>
      <div className="dialog new-from-data" role="dialog" aria-modal="true" aria-label="New pipeline from data" data-testid="new-from-data">
        <h2>New pipeline from data</h2>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          data-testid="auto-dropzone"
          // Not the canvas's drop (a portal's events bubble through React to the button's parents): this file is for the dialog.
          onDragOver={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setDragging(false);
            void take(e.dataTransfer.files[0]);
          }}
        >
          {reading ? (
            <span>Reading {reading}…</span>
          ) : loaded ? (
            <span data-testid="auto-file">
              <b>{loaded.file}</b>: {loaded.profile.rows.toLocaleString('en')} rows × {loaded.profile.columns.length} columns
            </span>
          ) : (
            <span>Drop a CSV, TSV or JSON file here, or</span>
          )}{' '}
          <button onClick={() => input.current?.click()} disabled={reading !== null}>
            {loaded ? 'Choose another file…' : 'Choose a file…'}
          </button>
          <input ref={input} type="file" accept={DATA_FILE_EXTENSIONS.join(',')} hidden data-testid="auto-file-input" onChange={(e) => void take(e.target.files?.[0])} />
        </div>
        {loaded && (
          <div className="auto-form">
            <label>
              Predict
              <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="auto-target">
                <option value="">(choose the target column)</option>
                {loaded.profile.columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.dtype})
                  </option>
                ))}
              </select>
            </label>
            <label title="The latest rows become the test part, so the model is scored on the future it has not seen.">
              <input type="checkbox" checked={timeOrdered} onChange={(e) => setTimeOrdered(e.target.checked)} data-testid="auto-time" /> Rows are ordered in time
              {dates.length > 0 && <span className="muted"> (by {dates[0]})</span>}
            </label>
          </div>
        )}
        {targetColumn && result && typeof result !== 'string' && (
          <div data-testid="auto-plan">
            <p style={{ margin: '8px 0 4px' }}>
              <b data-testid="auto-task">{result.task === 'classification' ? 'Classification' : 'Regression'}</b>
              <span className="muted">
                {' '}
                — {inferTask(targetColumn) === 'classification' ? `${targetColumn.distinct} classes of ${target}` : `predict the number ${target}`}. Each step below becomes a node you can change.
              </span>
            </p>
            <ol className="auto-decisions">
              {result.decisions.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ol>
          </div>
        )}
        {typeof result === 'string' && <p className="error-text">{result}</p>}
        {error && <p className="error-text">{error}</p>}
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 10, gap: 8 }}>
          <button ref={closeButton} onClick={onClose}>
            Cancel
          </button>
          <button className="primary" disabled={!result || typeof result === 'string' || building} onClick={() => void create()} data-testid="auto-build">
            {building ? 'Building…' : 'Build pipeline'}
          </button>
        </div>
      </div>
    </div>
  );
}
