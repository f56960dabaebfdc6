import { describe, expect, it } from 'vitest';
import { escapeLabelValue, parsePrometheusText, ServingMetrics } from './metrics';

describe('ServingMetrics', () => {
  it('renders counters with HELP/TYPE lines even before any traffic', () => {
    const text = new ServingMetrics([0.01, 0.1]).render();
    expect(text).toContain('# TYPE pipeline_studio_requests_total counter\n');
    expect(text).toContain('pipeline_studio_errors_total 0\n');
    expect(text).toContain('pipeline_studio_prediction_latency_seconds_bucket{le="+Inf"} 0\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('drift');
  });

  it('counts requests by status and keeps histogram buckets cumulative', () => {
    const metrics = new ServingMetrics([0.01, 0.1, 1]);
    metrics.countRequest(200);
    metrics.countRequest(200);
    metrics.countRequest(422);
    metrics.countRequest(500);
    metrics.countError();
    metrics.observePrediction(3, 0.005);
    metrics.observePrediction(1, 0.05);
    metrics.observePrediction(2, 7);
    const samples = parsePrometheusText(metrics.render());
    expect(samples.get('pipeline_studio_requests_total{status="200"}')).toBe(2);
    expect(samples.get('pipeline_studio_requests_total{status="422"}')).toBe(1);
    expect(samples.get('pipeline_studio_requests_total{status="500"}')).toBe(1);
    expect(samples.get('pipeline_studio_errors_total')).toBe(1);
    expect(samples.get('pipeline_studio_predictions_total')).toBe(6);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_bucket{le="0.01"}')).toBe(1);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_bucket{le="0.1"}')).toBe(2);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_bucket{le="1"}')).toBe(2);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_count')).toBe(3);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_sum')).toBeCloseTo(7.055, 12);
    expect(metrics.requestCount()).toBe(4);
    expect(metrics.requestCount(200)).toBe(2);
  });

  it('exports model info and per-feature drift gauges with escaped labels', () => {
    const metrics = new ServingMetrics();
    metrics.setModelInfo({ name: 'penguins "v2"', version: 'abc123', task: 'classification', backend: 'wasm' });
    metrics.setDrift({
      status: 'red',
      count: 100,
      features: [
        { name: 'bill', kind: 'numeric', count: 100, psi: 0.4, ks: { statistic: 0.5, pValue: 0.001 }, status: 'red' },
        { name: 'island', kind: 'categorical', count: 100, psi: 0.02, ks: null, status: 'green' },
        { name: 'sex', kind: 'categorical', count: 3, psi: null, ks: null, status: 'unknown' },
      ],
    });
    const text = metrics.render();
    expect(text).toContain('pipeline_studio_model_info{name="penguins \\"v2\\"",version="abc123",task="classification",backend="wasm"} 1\n');
    const samples = parsePrometheusText(text);
    expect(samples.get('pipeline_studio_drift_psi{feature="bill"}')).toBe(0.4);
    expect(samples.get('pipeline_studio_drift_psi{feature="island"}')).toBe(0.02);
    expect(samples.has('pipeline_studio_drift_psi{feature="sex"}')).toBe(false);
    expect(samples.get('pipeline_studio_drift_ks_pvalue{feature="bill"}')).toBe(0.001);
    expect(samples.get('pipeline_studio_drift_status{feature=""}')).toBe(2);
    expect(samples.get('pipeline_studio_drift_status{feature="sex"}')).toBe(-1);
    expect(samples.has('pipeline_studio_drifting_since_seconds')).toBe(false);
    metrics.setDrift({ status: 'amber', count: 100, features: [] }, 1_700_000_000_000);
    expect(parsePrometheusText(metrics.render()).get('pipeline_studio_drifting_since_seconds')).toBe(1_700_000_000);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
