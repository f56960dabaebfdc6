/** Renderers for each OutputView kind (table, stats, series, metrics, key-value, transforms, text). */
import { useMemo } from 'react';
import type { Metrics } from '../../data/types';
import type { OutputView } from '../../runtime/protocol';
import { formatNumber } from './format';
import { CalibrationChart, EvaluationWarnings, ImportanceChart, RegressionPlots } from './EvaluationCharts';
import { Leaderboard } from './Leaderboard';
import { UPlotChart } from './UPlotChart';

export { formatNumber } from './format';

function Bars({ labels, counts }: { labels: string[]; counts: number[] }) {
  const max = Math.max(1, ...counts);
  const width = 120;
  const bar = width / Math.max(1, counts.length);
  return (
    <svg width={width} height={28} role="img" aria-label={labels.map((l, i) => `${l}: ${counts[i]}`).join(', ')}>
      {counts.map((c, i) => (
        <rect key={i} x={i * bar + 0.5} y={28 - (c / max) * 26} width={Math.max(1, bar - 1)} height={(c / max) * 26} fill="#60a5fa">
          <title>{`${labels[i]}: ${c}`}</title>
        </rect>
      ))}
    </svg>
  );
}

function TableView({ view }: { view: Extract<OutputView, { kind: 'table' }> }) {
  return (
    <div className="view" data-testid="view-table">
      <h3>
        {view.title} <span className="muted">({view.rowCount} rows × {view.columns.length} columns{view.partitions ? `; train ${view.partitions.train} / validation ${view.partitions.validation} / test ${view.partitions.test}` : ''})</span>
      </h3>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {view.columns.map((c) => (
                <th key={c.name} title={c.dtype}>
                  {c.name}
                  <small className="muted"> {c.role === 'target' ? '🎯' : ''}{c.dtype}</small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c} className={typeof cell === 'number' ? 'num' : undefined}>
                    {typeof cell === 'number' ? formatNumber(cell) : (cell ?? <span className="muted">∅</span>)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function StatsView({ view }: { view: Extract<OutputView, { kind: 'stats' }> }) {
  return (
    <div className="view" data-testid="view-stats">
      <h3>{view.title}</h3>
      {view.quantilesFrom && (
        <p className="muted" data-testid="stats-quantiles-from">
          quartiles from {view.quantilesFrom}
        </p>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>column</th>
              <th>type</th>
              <th>count</th>
              <th>missing</th>
              <th>mean</th>
              <th>std</th>
              <th>min</th>
              <th>max</th>
              <th title="25th / 50th / 75th percentile">quartiles</th>
              <th>distinct / top</th>
              <th>distribution</th>
            </tr>
          </thead>
          <tbody>
            {view.columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td className="muted">{c.dtype}</td>
                <td className="num">{c.count}</td>
                <td className="num">{c.missing}</td>
                <td className="num">{formatNumber(c.mean)}</td>
                <td className="num">{formatNumber(c.std)}</td>
                <td className="num">{formatNumber(c.min)}</td>
                <td className="num">{formatNumber(c.max)}</td>
                <td className="num">{c.quartiles ? c.quartiles.map((q) => formatNumber(q)).join(' / ') : ''}</td>
                <td>{c.top ? c.top.slice(0, 3).map((t) => `${t.value} (${t.count})`).join(', ') : (c.distinct ?? '')}</td>
                <td>{c.histogram && <Bars labels={c.histogram.labels} counts={c.histogram.counts} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Merges series with their own x values onto one sorted x axis (uPlot's aligned data). */
export function alignSeries(series: { name: string; points: [number, number][] }[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    for (const [x, y] of s.points) ys[index.get(x)!] = Number.isFinite(y) ? y : null;
    return ys;
  });
  return [xs, ...columns];
}

export function SeriesView({ title, x, series, testId }: { title: string; x: string; series: { name: string; points: [number, number][] }[]; testId?: string }) {
  const data = useMemo(() => alignSeries(series), [series]);
  return (
    <div className="view" data-testid={testId ?? 'view-series'}>
      <h3>{title}</h3>
      <UPlotChart xLabel={x} names={series.map((s) => s.name)} data={data} />
    </div>
  );
}

function heat(value: number, max: number): string {
  const t = max ? value / max : 0;
  return `rgba(37, 99, 235, ${(0.08 + t * 0.8).toFixed(2)})`;
}

/** Cross-validation: how the folds were scored, in words, and each fold's scores. */
function CvFolds({ cv }: { cv: NonNullable<Metrics['cv']> }) {
  const names = Object.keys(cv.scalars);
  return (
    <div data-testid="cv-folds" style={{ marginTop: 6 }}>
      {cv.note && <p className={cv.note.includes('NOT refitted') ? 'error-text' : 'muted'}>{cv.note}</p>}
      {cv.perFold && (
        <table>
          <thead>
            <tr>
              <th>fold</th>
              {names.map((n) => (
                <th key={n}>{n}</th>
              ))}
              <th>rows</th>
            </tr>
          </thead>
          <tbody>
            {cv.perFold.map((f) => (
              <tr key={`${f.repeat}-${f.fold}`}>
                <td>{cv.repeats ? `${f.repeat}.${f.fold}` : f.fold}</td>
                {names.map((n) => (
                  <td className="num" key={n}>
                    {formatNumber(f.scalars[n])}
                  </td>
                ))}
                <td className="num">{f.scalars.rows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function MetricsView({ title, metrics, nodeId }: { title: string; metrics: Metrics; nodeId?: string }) {
  const rocData = useMemo(() => (metrics.roc?.length ? alignSeries(metrics.roc.map((r) => ({ name: `${r.label} (AUC ${r.auc.toFixed(3)})`, points: r.points }))) : null), [metrics.roc]);
  const confusionMax = metrics.confusion ? Math.max(...metrics.confusion.matrix.flat()) : 0;
  return (
    <div className="view" data-testid="view-metrics">
      <h3>
        {title} <span className="muted">({metrics.task}, {metrics.partition} partition)</span>
      </h3>
      <EvaluationWarnings warnings={metrics.warnings} />
      <div className="scalars">
        {Object.entries(metrics.scalars).map(([name, value]) => (
          <div className="scalar" key={name} data-testid={`metric-${name}`}>
            <span className="muted">{name}</span>
            <b>
              {formatNumber(value)}
              {metrics.cv?.scalars[name] && <small className="muted"> ± {formatNumber(metrics.cv.scalars[name].sd)}</small>}
            </b>
          </div>
        ))}
      </div>
      {metrics.cv && <CvFolds cv={metrics.cv} />}
      <div className="views" style={{ marginTop: 8 }}>
        {metrics.perClass && (
          <table>
            <thead>
              <tr>
                <th>class</th>
                <th>precision</th>
                <th>recall</th>
                <th>F1</th>
                <th>support</th>
              </tr>
            </thead>
            <tbody>
              {metrics.perClass.map((c) => (
                <tr key={c.label}>
                  <td>{c.label}</td>
                  <td className="num">{formatNumber(c.precision)}</td>
                  <td className="num">{formatNumber(c.recall)}</td>
                  <td className="num">{formatNumber(c.f1)}</td>
                  <td className="num">{c.support}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {metrics.confusion && (
          <table className="heatmap" data-testid="confusion-matrix" aria-label="Confusion matrix (rows: truth, columns: prediction)">
            <thead>
              <tr>
                <th>truth \ predicted</th>
                {metrics.confusion.labels.map((l) => (
                  <th key={l}>{l}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metrics.confusion.matrix.map((row, r) => (
                <tr key={r}>
                  <th>{metrics.confusion!.labels[r]}</th>
                  {row.map((v, c) => (
                    <td key={c} style={{ background: heat(v, confusionMax), color: v / (confusionMax || 1) > 0.6 ? '#fff' : undefined }}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {metrics.calibration && metrics.calibration.bins.length > 0 && <CalibrationChart calibration={metrics.calibration} />}
        {rocData && metrics.roc && <UPlotChart title="ROC" xLabel="false positive rate" names={metrics.roc.map((r) => `${r.label} (AUC ${r.auc.toFixed(3)})`)} data={rocData} square testId="roc-chart" />}
      </div>
      {metrics.task === 'regression' && <RegressionPlots metrics={metrics} />}
      {metrics.importance && <ImportanceChart importance={metrics.importance} />}
      {metrics.trials && metrics.trials.length > 0 && <Leaderboard trials={metrics.trials} metric={Object.keys(metrics.scalars).find((k) => k.startsWith('val_')) ?? 'score'} nodeId={nodeId} />}
    </div>
  );
}

/** One view; `nodeId` is the node it shows (views with actions on the graph need it). */
export function OutputViewBlock({ view, nodeId }: { view: OutputView; nodeId?: string }) {
  switch (view.kind) {
    case 'table':
      return <TableView view={view} />;
    case 'stats':
      return <StatsView view={view} />;
    case 'series':
      return <SeriesView title={view.title} x={view.x} series={view.series} />;
    case 'metrics':
      return <MetricsView title={view.title} metrics={view.metrics} nodeId={nodeId} />;
    case 'keyvalue':
      return (
        <div className="view" data-testid="view-keyvalue">
          <h3>{view.title}</h3>
          <table>
            <tbody>
              {view.entries.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td className={typeof v === 'number' ? 'num' : undefined}>{typeof v === 'number' ? formatNumber(v) : v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'transforms':
      return (
        <div className="view" data-testid="view-transforms">
          <h3>{view.title}</h3>
          {view.steps.length === 0 ? (
            <p className="muted">No fitted steps yet.</p>
          ) : (
            <ol>
              {view.steps.map((s, i) => (
                <li key={i}>
                  <b>{s.kind}</b> <span className="muted">(fitted on {s.fittedOn})</span> {s.summary}
                </li>
              ))}
            </ol>
          )}
        </div>
      );
    case 'text':
      return (
        <div className="view" data-testid="view-text">
          <h3>{view.title}</h3>
          <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{view.text}</pre>
        </div>
      );
  }
}
