/** Evaluation charts beyond the scalars: predicted vs actual and the residual histogram (regression). */
import { useMemo } from 'react';
import type { Metrics } from '../../data/types';
import { UPlotChart } from './UPlotChart';
import './output.css';

/** Equal-width bins over `values`: centres and counts (√n bins, 5 … 30). */
export function histogram(values: readonly number[], bins = Math.min(30, Math.max(5, Math.ceil(Math.sqrt(values.length))))): { centres: number[]; counts: number[]; width: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { centres: [], counts: [], width: 0 };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { centres: counts.map((_, i) => lo + (i + 0.5) * width), counts, width };
}

/** (actual, predicted) pairs sorted by actual, as uPlot's aligned data with the y = x line. */
export function predictedVsActual(residuals: NonNullable<Metrics['residuals']>): { data: number[][]; range: [number, number] } {
  const pairs = residuals.map((r) => [r.predicted + r.residual, r.predicted] as const).filter(([a, p]) => Number.isFinite(a) && Number.isFinite(p));
  pairs.sort((a, b) => a[0] - b[0]);
  const all = pairs.flatMap(([a, p]) => [a, p]);
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const pad = (hi - lo) * 0.04 || 1;
  const xs = pairs.map(([a]) => a);
  return { data: [xs, pairs.map(([, p]) => p), xs], range: [lo - pad, hi + pad] };
}

export function RegressionPlots({ metrics }: { metrics: Metrics }) {
  const residuals = metrics.residuals;
  const scatter = useMemo(() => (residuals?.length ? predictedVsActual(residuals) : null), [residuals]);
  const hist = useMemo(() => (residuals?.length ? histogram(residuals.map((r) => r.residual)) : null), [residuals]);
  if (!residuals?.length || !scatter || !hist) return null;
  const rows = metrics.scalars.rows;
  const sample = rows > residuals.length ? ` (an even sample of ${residuals.length} of ${rows} rows)` : ` (${residuals.length} rows)`;
  return (
    <div className="views" data-testid="regression-plots">
      <div data-testid="predicted-vs-actual" aria-label={`Predicted against actual values${sample}`}>
        <UPlotChart
          title={`Predicted vs actual${sample}`}
          xLabel="actual"
          yLabel="predicted"
          names={['predicted', 'perfect (y = x)']}
          kinds={['points', 'line']}
          colours={['#2563eb', '#9ca3af']}
          data={scatter.data}
          square
          xRange={scatter.range}
          yRange={scatter.range}
          height={240}
          testId="predicted-vs-actual-chart"
        />
      </div>
      <div data-testid="residual-histogram" aria-label={`Residuals (actual − predicted)${sample}`}>
        <UPlotChart
          title="Residuals (actual − predicted)"
          xLabel="residual"
          yLabel="rows"
          names={['rows']}
          kinds={['bars']}
          colours={['#7c3aed']}
          data={[hist.centres, hist.counts]}
          xRange={[hist.centres[0] - hist.width / 2, hist.centres[hist.centres.length - 1] + hist.width / 2]}
          height={240}
          testId="residual-histogram-chart"
        />
      </div>
    </div>
  );
}

/** Warning lines above an evaluation's numbers (e.g. rows a fitted step has seen). */
export function EvaluationWarnings({ warnings }: { warnings?: string[] }) {
  if (!warnings?.length) return null;
  return (
    <div className="evaluation-warnings" role="alert" data-testid="evaluation-warnings">
      {warnings.map((w) => (
        <p key={w} className="warning-text">
          ⚠ {w}
        </p>
      ))}
    </div>
  );
}

/** Reliability diagram: per confidence bin, the share predicted correctly; the diagonal is perfect calibration. */
export function CalibrationChart({ calibration }: { calibration: NonNullable<Metrics['calibration']> }) {
  const data = useMemo(() => {
    const xs = [0, ...calibration.bins.map((b) => b.confidence), 1];
    const observed = [null, ...calibration.bins.map((b) => b.accuracy), null];
    return [xs, observed, xs];
  }, [calibration]);
  const rows = calibration.bins.reduce((sum, b) => sum + b.count, 0);
  return (
    <div data-testid="calibration" aria-label={`Calibration over ${rows} rows, expected calibration error ${calibration.ece.toFixed(3)}`}>
      <UPlotChart
        title={`Calibration (ECE ${calibration.ece.toFixed(3)}, ${rows} rows)`}
        xLabel="predicted confidence"
        yLabel="share correct"
        names={['model', 'perfectly calibrated']}
        kinds={['line', 'line']}
        colours={['#059669', '#9ca3af']}
        data={data}
        square
        height={220}
        testId="calibration-chart"
      />
    </div>
  );
}

/** Permutation importance as horizontal bars (mean drop) with ± sd whiskers, largest first. */
export function ImportanceChart({ importance }: { importance: NonNullable<Metrics['importance']> }) {
  const { features, metric, repeats } = importance;
  const max = Math.max(1e-12, ...features.map((f) => f.mean + f.sd));
  const min = Math.min(0, ...features.map((f) => f.mean - f.sd));
  const span = max - min;
  const pct = (v: number) => `${(((v - min) / span) * 100).toFixed(2)}%`;
  return (
    <div className="view importance" data-testid="importance-chart">
      <h3>
        Feature importance <span className="muted">(drop in {metric} when a feature is shuffled; mean ± sd over {repeats} repeat{repeats === 1 ? '' : 's'})</span>
      </h3>
      <ol className="importance-bars">
        {features.map((f) => (
          <li key={f.name} data-testid="importance-bar" data-feature={f.name} title={`${f.name}: ${f.mean.toFixed(4)} ± ${f.sd.toFixed(4)}${f.columns > 1 ? ` (${f.columns} columns shuffled together)` : ''}`}>
            <span className="name">{f.name}</span>
            <span className="track">
              <span className="zero" style={{ left: pct(0) }} />
              <span className="bar" style={{ left: pct(Math.min(0, f.mean)), width: `${((Math.abs(f.mean) / span) * 100).toFixed(2)}%` }} />
              {f.sd > 0 && <span className="whisker" style={{ left: pct(f.mean - f.sd), width: `${(((2 * f.sd) / span) * 100).toFixed(2)}%` }} />}
            </span>
            <span className="value">
              {f.mean.toFixed(3)} ± {f.sd.toFixed(3)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
