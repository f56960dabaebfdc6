/**
 * The monitor's summary of an endpoint's logged traffic: volume and latency per time window,
 * per-feature drift against the model's training reference (src/serving's PSI/KS maths,
 * thresholds and drifting-since), and served predictions against the training target.
 * Pure: the monitor node (worker, CLI) and the endpoints panel (main thread) both call it.
 */
import { quantile } from '../data/transforms/common';
import type { HealthStatus, MonitorSummary, TargetInfo } from '../data/types';
import type { LoggedPrediction } from '../engine/services';
import { computeDrift, DEFAULT_THRESHOLDS, type DriftThresholds, driftingSince, driftTimeline } from './drift';
import { binFractions, isReferenceProfile, type ReferenceProfile } from './reference';

export interface MonitorOptions {
  endpoint: string;
  liveVersion: number | null;
  /** `ModelArtifact.reference` of the live model (may be absent). */
  reference: unknown;
  target: TargetInfo;
  /** Raw input fields requests carry (drift is checked on these only). */
  inputNames: string[];
  windowMs?: number;
  /** Most recent predictions the overall drift verdict looks at. */
  recent?: number;
  thresholds?: DriftThresholds;
}

function latencyOf(entries: LoggedPrediction[]): { p50: number; p95: number; p99: number; mean: number } | null {
  if (entries.length === 0) return null;
  const sorted = entries.map((e) => e.latencyMs).sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** Served prediction fractions next to the training target's. */
function predictionDistribution(entries: LoggedPrediction[], reference: ReferenceProfile | null, target: TargetInfo): MonitorSummary['predictions'] {
  const targetRef = reference?.features.find((f) => f.name === target.name);
  const served = entries.map((e) => e.output.prediction);
  if (target.task === 'classification') {
    const labels = target.classes ?? [...new Set(served.map(String))].sort();
    const counts = new Map(labels.map((l) => [l, 0]));
    for (const p of served) counts.set(String(p), (counts.get(String(p)) ?? 0) + 1);
    let training: Map<string, number> | null = null;
    if (targetRef?.kind === 'categorical') training = new Map(targetRef.categories.map((c, i) => [c, targetRef.fractions[i]]));
    else if (targetRef?.kind === 'numeric' && targetRef.sample.length > 0) {
      // Whole-number classes stored as numbers: the quantile sample stands in for the rows.
      training = new Map();
      for (const v of targetRef.sample) training.set(String(v), (training.get(String(v)) ?? 0) + 1 / targetRef.sample.length);
    }
    return [...counts.keys()].map((label) => ({ label, served: served.length === 0 ? 0 : counts.get(label)! / served.length, training: training ? (training.get(label) ?? 0) : null }));
  }
  if (targetRef?.kind !== 'numeric' || targetRef.count === 0) return [];
  const actual = binFractions(served.filter((v): v is number => typeof v === 'number'), targetRef.edges);
  const edge = (i: number) => (i < 0 ? '−∞' : i >= targetRef.edges.length ? '∞' : Number(targetRef.edges[i].toPrecision(3)).toString());
  return targetRef.fractions.map((fraction, i) => ({ label: `${edge(i - 1)} … ${edge(i)}`, served: actual[i], training: fraction }));
}

export function summarizeTraffic(entries: LoggedPrediction[], options: MonitorOptions): MonitorSummary {
  const windowMs = options.windowMs ?? 60_000;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const recent = entries.slice(Math.max(0, entries.length - (options.recent ?? 1000)));
  const inputs = new Set(options.inputNames);
  const full = isReferenceProfile(options.reference) ? options.reference : null;
  const reference = full ? { ...full, features: full.features.filter((f) => inputs.has(f.name)) } : null;

  const groups = new Map<number, LoggedPrediction[]>();
  for (const entry of entries) {
    const start = Math.floor(entry.time / windowMs) * windowMs;
    let group = groups.get(start);
    if (!group) groups.set(start, (group = []));
    group.push(entry);
  }
  const timeline = reference ? driftTimeline(reference, entries, windowMs, thresholds) : null;
  const windowStatus = new Map(timeline?.windows.map((w) => [w.start, w.status]) ?? []);
  const windows = [...groups.keys()]
    .sort((a, b) => a - b)
    .map((start) => {
      const latency = latencyOf(groups.get(start)!);
      return { start, end: start + windowMs, requests: groups.get(start)!.length, p50: latency!.p50, p95: latency!.p95, status: (windowStatus.get(start) ?? 'unknown') as HealthStatus };
    });

  let features: MonitorSummary['features'] = [];
  let status: HealthStatus = 'unknown';
  let note: string | undefined;
  if (!reference) note = 'the live model carries no training reference profile (retrain it to monitor drift)';
  else {
    const latest = computeDrift(reference, recent.map((e) => e.inputs), thresholds);
    status = latest.status;
    if (status === 'unknown') note = `too little traffic to judge drift (needs ${thresholds.minSamples} predictions)`;
    features = latest.features.map((f) => {
      const perWindow = timeline!.windows.map((w) => ({ start: w.start, status: w.features.find((x) => x.name === f.name)?.status ?? 'unknown' }));
      return {
        name: f.name,
        kind: f.kind,
        count: f.count,
        psi: f.psi,
        ksPValue: f.ks?.pValue ?? null,
        status: f.status,
        driftingSince: f.status === 'amber' || f.status === 'red' ? driftingSince(perWindow).driftingSince : null,
        ...(f.unseen ? { unseen: f.unseen } : {}),
      };
    });
  }
  return {
    endpoint: options.endpoint,
    liveVersion: options.liveVersion,
    requests: entries.length,
    from: entries.length > 0 ? entries[0].time : null,
    to: entries.length > 0 ? entries[entries.length - 1].time : null,
    latencyMs: latencyOf(entries),
    windows,
    windowMs,
    status,
    driftingSince: status === 'amber' || status === 'red' ? (timeline?.driftingSince ?? null) : null,
    features,
    predictions: predictionDistribution(entries, full, options.target),
    ...(note ? { note } : {}),
  };
}
