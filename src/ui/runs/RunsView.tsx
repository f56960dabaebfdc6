/**
 * The Runs view (fills the workspace in place of the editor): every recorded run of the open
 * graph or of all graphs, sortable and filterable by metric; star, label, delete, export CSV;
 * select two or more to compare them (metrics with the difference, training curves on one
 * chart, params that changed node by node, changed data flagged); restore a run's graph.
 */
import { useMemo, useState } from 'react';
import { alignCurves, compareRuns, formatValue, hasChanges, metricColumns, runsToCsv, trainingCurves, type MetricColumn, type RunComparison } from '../../engine/run-compare';
import { runStatus, type RunRecord } from '../../engine/run-record';
import { downloadBytes, fileSafeName } from '../../state/actions';
import { getDefinition } from '../../state/catalogue';
import { getStores } from '../../state/stores';
import { restoreRun, setRunsKept } from '../../state/runs';
import { isRunsKept, RUNS_KEPT_MAX, RUNS_KEPT_MIN } from '../../state/settings';
import { editorStore, useEditor } from '../../state/store';
import { formatNumber } from '../output/views';
import { CHART_COLOURS, UPlotChart } from '../output/UPlotChart';
import { useAsync } from '../panels/useAsync';
import { filterRuns, sortRuns, type RunFilter, type RunSort, type SortKey } from './runsTable';
import { errorMessage } from '../../engine/errors';
import './runs.css';

function when(at: number): string {
  return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** How a run is named in comparisons: its label, else its start time. */
function runName(run: RunRecord): string {
  return run.label || when(run.startedAt);
}

/** Names for runs compared together, told apart by the end of their id when two read the same. */
function distinctNames(runs: readonly RunRecord[]): (runId: string) => string {
  const names = new Map(runs.map((r) => [r.id, runName(r)]));
  const seen = new Map<string, number>();
  for (const name of names.values()) seen.set(name, (seen.get(name) ?? 0) + 1);
  for (const run of runs) if (seen.get(names.get(run.id)!)! > 1) names.set(run.id, `${names.get(run.id)} (${run.id.slice(-6)})`);
  return (runId) => names.get(runId) ?? runId;
}

/** Runs whose data differs from the previous run of the same graph: the id → the data nodes that changed. */
function dataChangedSincePrevious(runs: readonly RunRecord[]): Map<string, string[]> {
  const changed = new Map<string, string[]>();
  const previous = new Map<string, RunRecord>();
  for (const run of [...runs].sort((a, b) => a.startedAt - b.startedAt)) {
    const before = previous.get(run.graphId);
    previous.set(run.graphId, run);
    if (!before) continue;
    const nodes = Object.keys(run.dataHashes).filter((id) => before.dataHashes[id] !== undefined && before.dataHashes[id] !== run.dataHashes[id]);
    if (nodes.length > 0) changed.set(run.id, nodes);
  }
  return changed;
}

function metricText(run: RunRecord, key: string): string {
  const cv = run.cv[key];
  if (cv) return `${formatNumber(cv.mean)} ± ${formatNumber(cv.sd)}`;
  return run.metrics[key] === undefined ? '' : formatNumber(run.metrics[key]);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : ms < 600_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

function signed(value: number | null): string {
  if (value === null) return '';
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatNumber(Math.abs(value))}`;
}

function fail(error: unknown): void {
  editorStore.getState().toast('error', errorMessage(error));
}

function SortHeader({ label, sortKey, sort, onSort, numeric }: { label: string; sortKey: SortKey; sort: RunSort; onSort: (s: RunSort) => void; numeric?: boolean }) {
  const active = sort.key === sortKey;
  return (
    <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} className={numeric ? 'num' : undefined}>
      <button className="sort" onClick={() => onSort({ key: sortKey, descending: active ? !sort.descending : numeric !== false })} data-testid={`sort-${sortKey}`}>
        {label}
        <span aria-hidden="true">{active ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
      </button>
    </th>
  );
}

function LabelInput({ run, onSaved }: { run: RunRecord; onSaved: () => void }) {
  const [draft, setDraft] = useState(run.label);
  const commit = async () => {
    if (draft.trim() === run.label) return;
    try {
      await (await getStores()).runs.update(run.id, { label: draft });
      onSaved();
    } catch (error) {
      fail(error);
    }
  };
  return (
    <input
      className="run-label"
      value={draft}
      placeholder="add a label"
      aria-label={`Label of the run of ${when(run.startedAt)}`}
      data-testid="run-label"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') setDraft(run.label);
      }}
    />
  );
}

function KeepSetting() {
  const keep = useEditor((s) => s.settings.runsKeptPerGraph);
  const [draft, setDraft] = useState<string | null>(null);
  const value = Number(draft);
  const invalid = draft !== null && !isRunsKept(value);
  const commit = async () => {
    if (draft === null || invalid || value === keep) {
      if (!invalid) setDraft(null);
      return;
    }
    try {
      const applied = await setRunsKept(value, (count) =>
        confirm(`Keeping ${value} runs per graph deletes ${count} older unstarred run${count === 1 ? '' : 's'}. Starred runs stay. Continue?`),
      );
      if (applied) setDraft(null);
    } catch (error) {
      fail(error);
    }
  };
  return (
    <label className="row keep-setting" title="The oldest unstarred runs beyond this number are deleted when a run is recorded. Starred runs are always kept.">
      Keep
      <input
        type="number"
        min={RUNS_KEPT_MIN}
        max={RUNS_KEPT_MAX}
        step={1}
        value={draft ?? String(keep)}
        aria-invalid={invalid}
        aria-label="Runs kept per graph"
        data-testid="runs-keep"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
      runs per graph (+ starred)
      {invalid && <span className="error-text">a whole number from {RUNS_KEPT_MIN} to {RUNS_KEPT_MAX}</span>}
    </label>
  );
}

function MetricFilter({ columns, filter, onChange }: { columns: MetricColumn[]; filter: RunFilter; onChange: (f: RunFilter) => void }) {
  const [key, setKey] = useState('');
  const [op, setOp] = useState<'>=' | '<='>('>=');
  const [text, setText] = useState('');
  const apply = (next: { key?: string; op?: '>=' | '<='; text?: string }) => {
    const k = next.key ?? key;
    const o = next.op ?? op;
    const t = next.text ?? text;
    setKey(k);
    setOp(o);
    setText(t);
    const value = Number(t);
    onChange({ ...filter, ...(k && t.trim() !== '' && Number.isFinite(value) ? { metric: { key: k, op: o, value } } : { metric: undefined }) });
  };
  const bad = text.trim() !== '' && !Number.isFinite(Number(text));
  return (
    <span className="row">
      <select aria-label="Filter by metric" value={key} onChange={(e) => apply({ key: e.target.value })} data-testid="runs-metric-filter">
        <option value="">any metric</option>
        {columns.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
      <select aria-label="Comparison" value={op} onChange={(e) => apply({ op: e.target.value as '>=' | '<=' })} disabled={!key}>
        <option value=">=">≥</option>
        <option value="<=">≤</option>
      </select>
      <input className="metric-value" aria-label="Metric value" inputMode="decimal" value={text} disabled={!key} aria-invalid={bad} onChange={(e) => apply({ text: e.target.value })} placeholder="value" />
    </span>
  );
}

function CompareCurves({ comparison, colourOf, nameOf }: { comparison: RunComparison; colourOf: (runId: string) => string; nameOf: (runId: string) => string }) {
  const [picked, setPicked] = useState<string | null>(null);
  const metric = picked && comparison.curveMetrics.includes(picked) ? picked : comparison.curveMetrics[0];
  const series = useMemo(() => (metric ? trainingCurves(comparison.runs, metric) : []), [comparison.runs, metric]);
  const data = useMemo(() => alignCurves(series), [series]);
  if (!metric) return <p className="muted">No training history in these runs.</p>;
  const manyNodes = new Set(series.map((s) => s.nodeId)).size > 1;
  const names = series.map((s) => `${nameOf(s.runId)}${manyNodes ? ` · ${s.nodeId}` : ''}`);
  return (
    <div className="view compare-curves">
      <div className="row">
        <h4>Training curves</h4>
        <select aria-label="Curve metric" value={metric} onChange={(e) => setPicked(e.target.value)} data-testid="curve-metric">
          {comparison.curveMetrics.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </div>
      <UPlotChart
        xLabel="epoch"
        names={names}
        colours={series.map((s) => colourOf(s.runId))}
        data={data}
        height={220}
        maxWidth={720}
        testId="compare-curves"
      />
    </div>
  );
}

function CompareParams({ comparison, nameOf }: { comparison: RunComparison; nameOf: (runId: string) => string }) {
  return (
    <div className="view compare-diff" data-testid="param-diff">
      <h4>What changed</h4>
      {comparison.diffs.map((diff) => (
        <div key={diff.runId} className="diff-block">
          <p className="muted">
            from <b>{nameOf(diff.baselineId)}</b> to <b>{nameOf(diff.runId)}</b>
          </p>
          {diff.data.map((d) => (
            <p key={d.nodeId} className="data-changed" data-testid="data-changed">
              ⚠ Data changed: <b>{d.nodeId}</b>
              {d.name ? ` (${d.name})` : ''} — {d.before?.slice(0, 10) ?? 'none'} → {d.after?.slice(0, 10) ?? 'none'}
            </p>
          ))}
          {!diff.comparable && <p className="warning-text">One of these runs was recorded without its graph: its params cannot be compared.</p>}
          {diff.comparable && !hasChanges(diff) && <p className="muted">Same graph, params and data.</p>}
          {(diff.seed || diff.nodes.length > 0 || diff.edgesAdded.length > 0 || diff.edgesRemoved.length > 0) && (
            <table className="diff-table">
              <thead>
                <tr>
                  <th>node</th>
                  <th>param</th>
                  <th>before</th>
                  <th>after</th>
                </tr>
              </thead>
              <tbody>
                {diff.seed && (
                  <tr>
                    <td>(graph)</td>
                    <td>seed</td>
                    <td>{formatValue(diff.seed.before)}</td>
                    <td>{formatValue(diff.seed.after)}</td>
                  </tr>
                )}
                {diff.nodes.flatMap((node) =>
                  node.change !== 'changed'
                    ? [
                        <tr key={node.nodeId} data-testid="diff-node">
                          <td>{node.nodeId}</td>
                          <td colSpan={3}>
                            {node.type} {node.change}
                          </td>
                        </tr>,
                      ]
                    : [
                        ...(node.typeBefore
                          ? [
                              <tr key={`${node.nodeId}:type`}>
                                <td>{node.nodeId}</td>
                                <td>(type)</td>
                                <td>{node.typeBefore}</td>
                                <td>{node.type}</td>
                              </tr>,
                            ]
                          : []),
                        ...node.params.map((p) => (
                          <tr key={`${node.nodeId}:${p.param}`} data-testid="diff-param" data-node={node.nodeId} data-param={p.param}>
                            <td>{node.nodeId}</td>
                            <td>{p.param}</td>
                            <td className="before">{formatValue(p.before)}</td>
                            <td className="after">{formatValue(p.after)}</td>
                          </tr>
                        )),
                      ],
                )}
                {diff.edgesAdded.map((e) => (
                  <tr key={`+${e}`}>
                    <td colSpan={4}>+ edge {e}</td>
                  </tr>
                ))}
                {diff.edgesRemoved.map((e) => (
                  <tr key={`-${e}`}>
                    <td colSpan={4}>− edge {e}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}

function ComparePanel({ runs }: { runs: RunRecord[] }) {
  const comparison = useMemo(() => compareRuns(runs, getDefinition), [runs]);
  const colourOf = (runId: string) => CHART_COLOURS[Math.max(0, runs.findIndex((r) => r.id === runId)) % CHART_COLOURS.length];
  const nameOf = useMemo(() => distinctNames(runs), [runs]);
  return (
    <section className="runs-compare" aria-label="Run comparison" data-testid="runs-compare">
      <h3>
        Comparing {runs.length} runs <span className="muted">(differences are to the earliest, {nameOf(runs[0].id)})</span>
      </h3>
      <div className="compare-grid">
        <div className="view">
          <h4>Metrics</h4>
          {comparison.metrics.length === 0 ? (
            <p className="muted">No metrics recorded in these runs.</p>
          ) : (
            <table data-testid="compare-metrics">
              <thead>
                <tr>
                  <th>metric</th>
                  {runs.map((run) => (
                    <th key={run.id} className="num">
                      <span className="swatch" style={{ background: colourOf(run.id) }} />
                      {nameOf(run.id)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {comparison.metrics.map((m) => (
                  <tr key={m.key} data-testid={`compare-metric-${m.label}`}>
                    <td title={m.key}>{m.label}</td>
                    {runs.map((run, i) => (
                      <td key={run.id} className="num">
                        <span className="value">{metricText(run, m.key) || '—'}</span>
                        {m.deltas[i] !== null && <span className="delta"> ({signed(m.deltas[i])})</span>}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <CompareCurves comparison={comparison} colourOf={colourOf} nameOf={nameOf} />
        <CompareParams comparison={comparison} nameOf={nameOf} />
      </div>
    </section>
  );
}

export function RunsView() {
  const graphId = useEditor((s) => s.graphId);
  const graphName = useEditor((s) => s.name);
  const version = useEditor((s) => s.libraryVersion);
  const [scope, setScope] = useState<'graph' | 'all'>('graph');
  const [reload, setReload] = useState(0);
  const refresh = () => setReload((n) => n + 1);
  const { value: runs, error } = useAsync(async () => {
    const { runs: store } = await getStores();
    return scope === 'all' ? store.listAll() : store.list(graphId);
  }, [scope, graphId, version, reload]);
  const [sort, setSort] = useState<RunSort>({ key: 'startedAt', descending: true });
  const [filter, setFilter] = useState<RunFilter>({ text: '', starredOnly: false });
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());

  const all = useMemo(() => runs ?? [], [runs]);
  const columns = useMemo(() => metricColumns(all), [all]);
  const dataChanged = useMemo(() => dataChangedSincePrevious(all), [all]);
  const shown = useMemo(() => sortRuns(filterRuns(all, filter), sort), [all, filter, sort]);
  // Compared oldest first: differences read as "what changed since".
  const selected = useMemo(() => all.filter((r) => selectedIds.has(r.id)).sort((a, b) => a.startedAt - b.startedAt), [all, selectedIds]);

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selectedIds);
    if (on) next.add(id);
    else next.delete(id);
    setSelectedIds(next);
  };
  const star = async (run: RunRecord) => {
    try {
      await (await getStores()).runs.update(run.id, { starred: !run.starred });
      refresh();
    } catch (e) {
      fail(e);
    }
  };
  const removeSelected = async () => {
    const starred = selected.filter((r) => r.starred).length;
    if (!confirm(`Delete ${selected.length} run${selected.length === 1 ? '' : 's'}${starred ? ` (${starred} starred)` : ''}? This cannot be undone.`)) return;
    try {
      await (await getStores()).runs.delete(selected.map((r) => r.id));
      setSelectedIds(new Set());
      refresh();
    } catch (e) {
      fail(e);
    }
  };
  const exportCsv = () => {
    const name = scope === 'all' ? 'all-graphs' : fileSafeName(graphName);
    void downloadBytes(`${name}-runs.csv`, new TextEncoder().encode(runsToCsv(shown)), 'text/csv');
  };

  return (
    <div className="runs-view" data-testid="runs-view">
      <header className="runs-toolbar">
        <h2>Runs</h2>
        <select aria-label="Which runs" value={scope} onChange={(e) => setScope(e.target.value as 'graph' | 'all')} data-testid="runs-scope">
          <option value="graph">of “{graphName}”</option>
          <option value="all">of all graphs</option>
        </select>
        <input type="search" placeholder="Filter: label, status, backend…" aria-label="Filter runs" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} data-testid="runs-filter" />
        <MetricFilter columns={columns} filter={filter} onChange={setFilter} />
        <label className="row">
          <input type="checkbox" checked={filter.starredOnly} onChange={(e) => setFilter({ ...filter, starredOnly: e.target.checked })} />
          starred only
        </label>
        <span className="spacer" />
        <button onClick={exportCsv} disabled={shown.length === 0} data-testid="runs-export">
          Export CSV
        </button>
        <button className="danger" onClick={() => void removeSelected()} disabled={selected.length === 0} data-testid="runs-delete">
          Delete selected
        </button>
        <KeepSetting />
      </header>
      {error && <p className="error-text">Could not read the run history: {error}</p>}
      <div className="runs-table-scroll">
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>
                <span className="sr-only">Select</span>
              </th>
              <th>
                <span className="sr-only">Star</span>
              </th>
              <SortHeader label="started" sortKey="startedAt" sort={sort} onSort={setSort} />
              {scope === 'all' && <SortHeader label="graph" sortKey="graph" sort={sort} onSort={setSort} numeric={false} />}
              <SortHeader label="label" sortKey="label" sort={sort} onSort={setSort} numeric={false} />
              <SortHeader label="status" sortKey="status" sort={sort} onSort={setSort} numeric={false} />
              <SortHeader label="backend" sortKey="backend" sort={sort} onSort={setSort} numeric={false} />
              <SortHeader label="time" sortKey="ms" sort={sort} onSort={setSort} />
              {columns.map((c) => (
                <SortHeader key={c.key} label={c.label} sortKey={`metric:${c.key}`} sort={sort} onSort={setSort} />
              ))}
              <th>data</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-selected={selectedIds.has(run.id)}>
                <td>
                  <input type="checkbox" checked={selectedIds.has(run.id)} onChange={(e) => toggle(run.id, e.target.checked)} aria-label={`Select the run of ${when(run.startedAt)}`} data-testid="run-select" />
                </td>
                <td>
                  <button className={`star${run.starred ? ' on' : ''}`} aria-pressed={run.starred} aria-label={run.starred ? 'Unstar run' : 'Star run (kept whatever the limit)'} onClick={() => void star(run)} data-testid="run-star">
                    {run.starred ? '★' : '☆'}
                  </button>
                </td>
                <td title={run.id}>{when(run.startedAt)}</td>
                {scope === 'all' && <td>{run.graphName || run.graphId}</td>}
                <td>
                  <LabelInput key={`${run.id}:${run.label}`} run={run} onSaved={refresh} />
                </td>
                <td className={`run-status ${runStatus(run)}`} data-testid="run-status-cell">
                  {runStatus(run)}
                </td>
                <td>{run.backend ?? ''}</td>
                <td className="num">{seconds(run.ms)}</td>
                {columns.map((c) => (
                  <td key={c.key} className="num" data-testid={`run-metric-${c.label}`}>
                    {metricText(run, c.key)}
                  </td>
                ))}
                <td className="hash" title={Object.entries(run.dataHashes).map(([id, h]) => `${id}: ${h}`).join('\n') || 'no data hash recorded'}>
                  {Object.values(run.dataHashes)[0]?.slice(0, 8) ?? ''}
                  {dataChanged.has(run.id) && (
                    <span className="data-changed" title={`Different data than the previous run in ${dataChanged.get(run.id)!.join(', ')}`} data-testid="run-data-changed">
                      {' '}
                      ⚠ changed
                    </span>
                  )}
                </td>
                <td className="actions">
                  <button onClick={() => void restoreRun(run)} disabled={!run.graph} title={run.graph ? 'Open the graph as it was for this run (a new revision; undo returns)' : 'Recorded before runs kept their graph'} data-testid="run-restore">
                    Restore
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs && all.length === 0 && <p className="muted empty">No runs yet{scope === 'graph' ? ' for this graph' : ''}: press ▶ Run and every run is recorded here.</p>}
        {all.length > 0 && shown.length === 0 && <p className="muted empty">No run matches the filter.</p>}
      </div>
      {selected.length >= 2 ? (
        <ComparePanel runs={selected} />
      ) : (
        all.length > 0 && <p className="muted compare-hint">Select two or more runs to compare them.</p>
      )}
    </div>
  );
}
