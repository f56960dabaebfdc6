/**
 * Serving metrics in the Prometheus text exposition format (version 0.0.4), so any
 * Prometheus-compatible scraper can read `GET /metrics`. Pure TS: the CLI server and the
 * browser endpoint keep one of these each.
 */
import type { DriftReport, DriftStatus } from './drift';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Latency bucket upper bounds in seconds: 0.5 ms … 5 s. */
export const DEFAULT_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const PREFIX = 'pipeline_studio';
const STATUS_LEVEL: Record<DriftStatus, number> = { unknown: -1, green: 0, amber: 1, red: 2 };

export interface ModelInfo {
  name: string;
  version: string;
  task: string;
  backend: string;
}

export class ServingMetrics {
  private readonly requests = new Map<string, number>();
  private errors = 0;
  private predictions = 0;
  private logWriteFailures = 0;
  private readonly buckets: number[];
  private readonly bucketCounts: number[];
  private latencySum = 0;
  private latencyCount = 0;
  private drift: DriftReport | null = null;
  private driftingSince: number | null = null;
  private modelInfo: ModelInfo | null = null;

  constructor(buckets: number[] = DEFAULT_LATENCY_BUCKETS) {
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.bucketCounts = new Array<number>(this.buckets.length).fill(0);
  }

  /** Counts one HTTP request by its response status code. */
  countRequest(status: number): void {
    const key = String(status);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Counts a server-side failure (5xx): a prediction that threw, not a bad request. */
  countError(): void {
    this.errors++;
  }

  /** Counts answered records whose log record could not be stored (disk full, quota). */
  countLogFailure(records: number): void {
    this.logWriteFailures += records;
  }

  get logFailures(): number {
    return this.logWriteFailures;
  }

  /** Records one answered prediction request: its records and its latency. */
  observePrediction(records: number, latencySeconds: number): void {
    this.predictions += records;
    this.latencySum += latencySeconds;
    this.latencyCount++;
    for (let i = 0; i < this.buckets.length; i++) if (latencySeconds <= this.buckets[i]) this.bucketCounts[i]++;
  }

  /** Latest drift report, and when the current drift episode began (epoch ms; null when not drifting). */
  setDrift(report: DriftReport | null, driftingSince: number | null = null): void {
    this.drift = report;
    this.driftingSince = driftingSince;
  }

  setModelInfo(info: ModelInfo): void {
    this.modelInfo = info;
  }

  requestCount(status?: number): number {
    if (status !== undefined) return this.requests.get(String(status)) ?? 0;
    let total = 0;
    for (const count of this.requests.values()) total += count;
    return total;
  }

  render(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) => lines.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} ${type}`);
    const sample = (name: string, labels: Record<string, string>, value: number) => lines.push(`${PREFIX}_${name}${formatLabels(labels)} ${formatValue(value)}`);

    family('requests_total', 'counter', 'HTTP requests answered, by status code.');
    for (const [status, count] of [...this.requests].sort(([a], [b]) => a.localeCompare(b))) sample('requests_total', { status }, count);

    family('errors_total', 'counter', 'Predictions that failed inside the server (5xx).');
    sample('errors_total', {}, this.errors);

    family('predictions_total', 'counter', 'Records predicted.');
    sample('predictions_total', {}, this.predictions);

    family('log_write_failures_total', 'counter', 'Predicted records whose prediction log record could not be stored (they were still answered).');
    sample('log_write_failures_total', {}, this.logWriteFailures);

    family('prediction_latency_seconds', 'histogram', 'Time to predict one request (validation, transforms and network).');
    this.buckets.forEach((bound, i) => sample('prediction_latency_seconds_bucket', { le: formatValue(bound) }, this.bucketCounts[i]));
    sample('prediction_latency_seconds_bucket', { le: '+Inf' }, this.latencyCount);
    sample('prediction_latency_seconds_sum', {}, this.latencySum);
    sample('prediction_latency_seconds_count', {}, this.latencyCount);

    if (this.modelInfo) {
      family('model_info', 'gauge', 'The model being served (value is always 1).');
      sample('model_info', { ...this.modelInfo }, 1);
    }

    if (this.drift) {
      family('drift_psi', 'gauge', 'Population stability index of a feature over recent traffic vs the training reference.');
      for (const feature of this.drift.features) if (feature.psi !== null) sample('drift_psi', { feature: feature.name }, feature.psi);
      family('drift_ks_pvalue', 'gauge', 'Two-sample KS p-value of a numeric feature over recent traffic vs the training reference.');
      for (const feature of this.drift.features) if (feature.ks) sample('drift_ks_pvalue', { feature: feature.name }, feature.ks.pValue);
      family('drift_status', 'gauge', 'Drift status: -1 unknown, 0 green, 1 amber, 2 red (feature="" is the endpoint).');
      sample('drift_status', { feature: '' }, STATUS_LEVEL[this.drift.status]);
      for (const feature of this.drift.features) sample('drift_status', { feature: feature.name }, STATUS_LEVEL[feature.status]);
      if (this.driftingSince !== null) {
        family('drifting_since_seconds', 'gauge', 'Unix time when the current amber/red drift episode began (absent when not drifting).');
        sample('drifting_since_seconds', {}, this.driftingSince / 1000);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Label values escape backslash, double quote and newline, per the exposition format. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Parses exposition text into `name{labels}` → value, for tests and the UI. */
export function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    const raw = line.slice(split + 1);
    samples.set(line.slice(0, split), raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw));
  }
  return samples;
}
