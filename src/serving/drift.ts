/**
 * Drift maths: how far serving traffic has moved from the training reference.
 * PSI (population stability index) for every profiled feature, plus the two-sample
 * Kolmogorov–Smirnov test for numeric ones. Pure functions over plain data.
 */
import { binFractions, type CategoricalReference, type FeatureReference, type NumericReference, type ReferenceProfile } from './reference';

export type DriftStatus = 'green' | 'amber' | 'red' | 'unknown';

export interface DriftThresholds {
  /** PSI below this is green. */
  psiAmber: number;
  /** PSI at or above this is red (between the two: amber). */
  psiRed: number;
  /** A KS p-value below this turns a green numeric feature amber (KS alone never makes red). */
  ksPValue: number;
  /** Fewer current values than this: status unknown rather than a noisy verdict. */
  minSamples: number;
  /** Added to every bin fraction before PSI so empty bins do not give infinities. */
  epsilon: number;
}

export const DEFAULT_THRESHOLDS: DriftThresholds = { psiAmber: 0.1, psiRed: 0.25, ksPValue: 0.01, minSamples: 30, epsilon: 1e-4 };

export interface FeatureDrift {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Current non-missing values seen. */
  count: number;
  psi: number | null;
  ks: { statistic: number; pValue: number } | null;
  status: DriftStatus;
  /** Values the reference never saw (categorical), e.g. new categories. */
  unseen?: string[];
}

export interface DriftReport {
  status: DriftStatus;
  /** Records compared. */
  count: number;
  features: FeatureDrift[];
}

/**
 * PSI = Σ (actual − expected) · ln(actual / expected) over bins, after additive
 * smoothing p' = (p + ε) / (1 + k·ε) so that an empty bin on either side stays finite.
 */
export function psi(expected: number[], actual: number[], epsilon = DEFAULT_THRESHOLDS.epsilon): number {
  if (expected.length !== actual.length) throw new Error(`PSI needs equal bin counts (got ${expected.length} and ${actual.length})`);
  const k = expected.length;
  let total = 0;
  for (let i = 0; i < k; i++) {
    const e = (expected[i] + epsilon) / (1 + k * epsilon);
    const a = (actual[i] + epsilon) / (1 + k * epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** Largest vertical distance between the empirical CDFs of two samples. */
export function ksStatistic(sampleA: number[], sampleB: number[]): number {
  const a = [...sampleA].sort((x, y) => x - y);
  const b = [...sampleB].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let maxDistance = 0;
  while (i < a.length && j < b.length) {
    // Step past every copy of the smallest next value in both samples before comparing.
    const next = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === next) i++;
    while (j < b.length && b[j] === next) j++;
    maxDistance = Math.max(maxDistance, Math.abs(i / a.length - j / b.length));
  }
  return maxDistance;
}

/** Survival function of the Kolmogorov distribution: Q(λ) = 2 Σ (−1)^(j−1) e^(−2 j² λ²). */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += (j % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Two-sample KS test, asymptotic p-value with Stephens' small-sample correction
 * (as in Numerical Recipes' kstwo): λ = (√nₑ + 0.12 + 0.11/√nₑ)·D, nₑ = n·m/(n+m).
 */
export function ksTest(sampleA: number[], sampleB: number[]): { statistic: number; pValue: number } {
  if (sampleA.length === 0 || sampleB.length === 0) throw new Error('KS test needs two non-empty samples');
  const statistic = ksStatistic(sampleA, sampleB);
  const rootEffective = Math.sqrt((sampleA.length * sampleB.length) / (sampleA.length + sampleB.length));
  return { statistic, pValue: kolmogorovQ((rootEffective + 0.12 + 0.11 / rootEffective) * statistic) };
}

export function psiStatus(value: number, thresholds: DriftThresholds = DEFAULT_THRESHOLDS): DriftStatus {
  if (value < thresholds.psiAmber) return 'green';
  if (value < thresholds.psiRed) return 'amber';
  return 'red';
}

const SEVERITY: Record<DriftStatus, number> = { unknown: -1, green: 0, amber: 1, red: 2 };

/** The most severe known status; unknown only when nothing is known. */
export function worstStatus(statuses: DriftStatus[]): DriftStatus {
  let worst: DriftStatus = 'unknown';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

export function numericDrift(reference: NumericReference, values: unknown[], thresholds: DriftThresholds = DEFAULT_THRESHOLDS): FeatureDrift {
  const current = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const base: FeatureDrift = { name: reference.name, kind: 'numeric', count: current.length, psi: null, ks: null, status: 'unknown' };
  if (current.length < Math.max(1, thresholds.minSamples) || reference.count === 0) return base;
  const value = psi(reference.fractions, binFractions(current, reference.edges), thresholds.epsilon);
  const ks = ksTest(reference.sample, current);
  let status = psiStatus(value, thresholds);
  if (status === 'green' && ks.pValue < thresholds.ksPValue) status = 'amber';
  return { ...base, psi: value, ks, status };
}

/** Categorical PSI over the reference categories plus one bucket for unseen ones. */
export function categoricalDrift(reference: CategoricalReference, values: unknown[], thresholds: DriftThresholds = DEFAULT_THRESHOLDS): FeatureDrift {
  const current = values.filter((v) => v !== null && v !== undefined && v !== '').map((v) => String(v));
  const base: FeatureDrift = { name: reference.name, kind: 'categorical', count: current.length, psi: null, ks: null, status: 'unknown' };
  const index = new Map(reference.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(reference.categories.length + 1).fill(0);
  const unseen = new Set<string>();
  for (const v of current) {
    const i = index.get(v);
    if (i === undefined) {
      counts[reference.categories.length]++;
      unseen.add(v);
    } else counts[i]++;
  }
  const unseenList = unseen.size > 0 ? { unseen: [...unseen].sort() } : {};
  if (current.length < Math.max(1, thresholds.minSamples) || reference.count === 0) return { ...base, ...unseenList };
  const actual = counts.map((c) => c / current.length);
  const value = psi([...reference.fractions, 0], actual, thresholds.epsilon);
  return { ...base, ...unseenList, psi: value, status: psiStatus(value, thresholds) };
}

export function featureDrift(reference: FeatureReference, values: unknown[], thresholds: DriftThresholds = DEFAULT_THRESHOLDS): FeatureDrift {
  return reference.kind === 'numeric' ? numericDrift(reference, values, thresholds) : categoricalDrift(reference, values, thresholds);
}

/** Drift of a batch of raw records against the reference; endpoint status = worst feature. */
export function computeDrift(
  reference: ReferenceProfile,
  records: Record<string, unknown>[],
  thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
): DriftReport {
  const features = reference.features.map((feature) => featureDrift(feature, records.map((r) => r[feature.name]), thresholds));
  return { status: worstStatus(features.map((f) => f.status)), count: records.length, features };
}

export interface TimedRecord {
  /** Epoch ms. */
  time: number;
  inputs: Record<string, unknown>;
}

export interface DriftWindow extends DriftReport {
  start: number;
  end: number;
}

export interface DriftTimeline {
  windows: DriftWindow[];
  /** Start of the first window of the current unbroken amber/red run; null when not drifting. */
  driftingSince: number | null;
  /** Status of the latest window with a known status. */
  status: DriftStatus;
}

/**
 * Splits records into fixed time windows (aligned to multiples of `windowMs`), scores
 * each, and finds when the current drift episode began. Windows with too few records
 * (unknown) neither start nor end an episode.
 */
export function driftTimeline(
  reference: ReferenceProfile,
  records: TimedRecord[],
  windowMs: number,
  thresholds: DriftThresholds = DEFAULT_THRESHOLDS,
): DriftTimeline {
  if (!(windowMs > 0)) throw new Error('windowMs must be positive');
  const groups = new Map<number, Record<string, unknown>[]>();
  for (const record of records) {
    const start = Math.floor(record.time / windowMs) * windowMs;
    let group = groups.get(start);
    if (!group) groups.set(start, (group = []));
    group.push(record.inputs);
  }
  const windows: DriftWindow[] = [...groups.keys()]
    .sort((a, b) => a - b)
    .map((start) => ({ start, end: start + windowMs, ...computeDrift(reference, groups.get(start)!, thresholds) }));
  return { windows, ...driftingSince(windows) };
}

export function driftingSince(windows: { start: number; status: DriftStatus }[]): { driftingSince: number | null; status: DriftStatus } {
  let since: number | null = null;
  let status: DriftStatus = 'unknown';
  for (const window of windows) {
    if (window.status === 'unknown') continue;
    status = window.status;
    if (window.status === 'green') since = null;
    else if (since === null) since = window.start;
  }
  return { driftingSince: since, status };
}
