/** The endpoint's monitor: volume and latency over time, predictions vs training, per-feature drift. */
import { useEffect, useMemo, useState } from 'react';
import type { HealthStatus } from '../../data/types';
import { summarizeTraffic } from '../../serving/traffic';
import type { ModelPipelineRecord } from '../../storage/db';
import { inputSchema } from '../../serving/validate';
import { getStores } from '../../state/stores';
import { UPlotChart } from '../output/UPlotChart';
import { formatNumber } from '../output/views';
import { useAsync } from '../panels/useAsync';

const WINDOWS: [string, number][] = [
  ['1 s', 1_000],
  ['10 s', 10_000],
  ['1 min', 60_000],
  ['10 min', 600_000],
];
const STATUS_COLOUR: Record<HealthStatus, string> = { green: '#059669', amber: '#d97706', red: '#dc2626', unknown: '#6b7280' };
const clock = (ms: number | null) => (ms === null ? '–' : new Date(ms).toLocaleTimeString());

function Status({ status, testId }: { status: HealthStatus; testId?: string }) {
  return (
    <b data-testid={testId} data-status={status} style={{ color: STATUS_COLOUR[status] }}>
      {status}
    </b>
  );
}

export function MonitorView({ endpoint, liveVersion, pipeline, refresh }: { endpoint: string; liveVersion: number | null; pipeline: ModelPipelineRecord; refresh: number }) {
  const [windowMs, setWindowMs] = useState(10_000);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    // Traffic from other tabs and clients (curl, scripts) shows up without a click.
    const timer = setInterval(() => setTick((t) => t + 1), 5000);
    return () => clearInterval(timer);
  }, []);
  const { value: entries, error } = useAsync(async () => (await getStores()).endpoints.predictions(endpoint), [endpoint, refresh, tick]);
  const summary = useMemo(
    () =>
      entries &&
      summarizeTraffic(entries, {
        endpoint,
        liveVersion,
        reference: pipeline.reference,
        target: pipeline.target,
        inputNames: inputSchema(pipeline.rawSchema, pipeline.target.name).map((c) => c.name),
        windowMs,
      }),
    [entries, endpoint, liveVersion, pipeline, windowMs],
  );
  // Two charts, each on its own scale: request counts and milliseconds do not share an axis.
  const charts = useMemo(() => {
    if (!summary || summary.windows.length === 0) return null;
    const t0 = summary.windows[0].start;
    const xs = summary.windows.map((w) => (w.start - t0) / 1000);
    return {
      traffic: [xs, summary.windows.map((w) => w.requests)],
      latency: [xs, summary.windows.map((w) => w.p50), summary.windows.map((w) => w.p95)],
    };
  }, [summary]);

  if (error) return <p className="error-text">{error}</p>;
  if (!summary) return <p className="muted">Loading…</p>;
  const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  return (
    <div className="monitor" data-testid="endpoint-monitor">
      <div className="row monitor-head">
        <label htmlFor={`monitor-window-${endpoint}`}>Window</label>
        <select id={`monitor-window-${endpoint}`} value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
          {WINDOWS.map(([label, ms]) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
        <span>
          Drift: <Status status={summary.status} testId="monitor-status" />
          {summary.driftingSince !== null && <span data-testid="monitor-drifting-since"> since {clock(summary.driftingSince)}</span>}
        </span>
      </div>
      <div className="scalars" data-testid="monitor-requests">
        <span className="scalar">
          <b>{summary.requests}</b> requests
        </span>
        {summary.latencyMs && (
          <>
            <span className="scalar">
              <b>{ms(summary.latencyMs.p50)}</b> p50 latency
            </span>
            <span className="scalar">
              <b>{ms(summary.latencyMs.p95)}</b> p95 latency
            </span>
            <span className="scalar">
              <b>{ms(summary.latencyMs.p99)}</b> p99 latency
            </span>
          </>
        )}
      </div>
      {summary.note && <p className="muted">{summary.note}</p>}
      {charts && (
        <div className="monitor-charts" data-testid="monitor-chart">
          <figure>
            <figcaption>Requests per window</figcaption>
            <UPlotChart xLabel="seconds since first request" names={['requests']} data={charts.traffic} height={160} maxWidth={720} legend={false} testId="monitor-traffic-chart" />
          </figure>
          <figure>
            <figcaption>Latency per window (ms)</figcaption>
            <UPlotChart xLabel="seconds since first request" names={['p50 ms', 'p95 ms']} data={charts.latency} height={160} maxWidth={720} legend="names" testId="monitor-latency-chart" />
          </figure>
        </div>
      )}
      <div className="monitor-tables">
        {summary.features.length > 0 && (
          <figure>
            <figcaption>Feature drift against the training data</figcaption>
            <div className="table-scroll">
              <table data-testid="monitor-features" className="wide-table">
                <thead>
                  <tr>
                    <th>feature</th>
                    <th>kind</th>
                    <th>status</th>
                    <th className="num" title="Population stability index: above 0.1 amber, above 0.25 red">
                      PSI
                    </th>
                    <th className="num" title="Kolmogorov–Smirnov test p-value (numeric features): small means the distributions differ">
                      KS p
                    </th>
                    <th className="num" title="Values seen in the recent traffic">
                      n
                    </th>
                    <th>drifting since</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.features.map((f) => (
                    <tr key={f.name} data-feature={f.name} data-status={f.status}>
                      <td title={f.unseen ? `${f.name} — unseen: ${f.unseen.join(', ')}` : f.name}>{f.name}</td>
                      <td>{f.kind}</td>
                      <td>
                        <Status status={f.status} />
                      </td>
                      <td className="num">{f.psi === null ? '–' : formatNumber(f.psi)}</td>
                      <td className="num">{f.ksPValue === null ? '–' : formatNumber(f.ksPValue)}</td>
                      <td className="num">{f.count}</td>
                      <td>{clock(f.driftingSince)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        )}
        {summary.predictions.length > 0 && (
          <figure>
            <figcaption>Predictions served vs training</figcaption>
            <div className="table-scroll">
              <table data-testid="monitor-predictions" className="wide-table">
                <thead>
                  <tr>
                    <th>prediction</th>
                    <th className="num">served</th>
                    <th className="num">training</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.predictions.map((p) => (
                    <tr key={p.label}>
                      <td>{p.label}</td>
                      <td className="num">{(p.served * 100).toFixed(1)}%</td>
                      <td className="num">{p.training === null ? '–' : `${(p.training * 100).toFixed(1)}%`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        )}
      </div>
    </div>
  );
}
