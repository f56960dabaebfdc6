/** The endpoint's monitor: volume and latency over time, predictions vs training, per-feature drift. */
import { useEffect, useMemo, useState } from 'react';
import type { HealthStatus } from '../../data/types';
import { summarizeTraffic } from '../../nodes/monitor/report';
import type { ModelPipelineRecord } from '../../storage/db';
import { inputSchema } from '../../serving/validate';
import { getStores } from '../../state/engine';
import { UPlotChart } from '../output/UPlotChart';
import { formatNumber } from '../output/views';
import { useAsync } from '../panels/useAsync';

const WINDOWS: [string, number][] = [
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
  const chart = useMemo(() => {
    if (!summary || summary.windows.length === 0) return null;
    const t0 = summary.windows[0].start;
    return [summary.windows.map((w) => (w.start - t0) / 1000), summary.windows.map((w) => w.requests), summary.windows.map((w) => w.p95)];
  }, [summary]);

  if (error) return <p className="error-text">{error}</p>;
  if (!summary) return <p className="muted">Loading…</p>;
  return (
    <div data-testid="endpoint-monitor">
      <div className="field">
        <label htmlFor={`monitor-window-${endpoint}`}>Window</label>
        <select id={`monitor-window-${endpoint}`} value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
          {WINDOWS.map(([label, ms]) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <p>
        Drift: <Status status={summary.status} testId="monitor-status" />
        {summary.driftingSince !== null && <span data-testid="monitor-drifting-since"> since {clock(summary.driftingSince)}</span>}
      </p>
      <p className="muted" data-testid="monitor-requests">
        {summary.requests} requests
        {summary.latencyMs && ` · latency p50 ${formatNumber(summary.latencyMs.p50)} / p95 ${formatNumber(summary.latencyMs.p95)} / p99 ${formatNumber(summary.latencyMs.p99)} ms`}
      </p>
      {summary.note && <p className="muted">{summary.note}</p>}
      {chart && <UPlotChart xLabel="seconds" names={['requests', 'p95 ms']} data={chart} height={140} testId="monitor-chart" />}
      {summary.features.length > 0 && (
        <div className="table-scroll">
          <table data-testid="monitor-features">
            <thead>
              <tr>
                <th>feature</th>
                <th>status</th>
                <th>PSI</th>
                <th>since</th>
              </tr>
            </thead>
            <tbody>
              {summary.features.map((f) => (
                <tr key={f.name} data-feature={f.name} data-status={f.status}>
                  <td title={f.unseen ? `unseen: ${f.unseen.join(', ')}` : undefined}>{f.name}</td>
                  <td>
                    <Status status={f.status} />
                  </td>
                  <td className="num">{f.psi === null ? '–' : formatNumber(f.psi)}</td>
                  <td>{clock(f.driftingSince)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {summary.predictions.length > 0 && (
        <div className="table-scroll">
          <table data-testid="monitor-predictions">
            <thead>
              <tr>
                <th>prediction</th>
                <th>served</th>
                <th>training</th>
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
      )}
    </div>
  );
}
