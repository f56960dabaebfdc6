/**
 * Permutation feature importance: how much a model's score drops when one feature's values are
 * shuffled across rows (breaking its link to the target while keeping its distribution). Each
 * feature (or group of columns made from one raw column, e.g. its one-hot columns) is shuffled
 * `repeats` times with seeded permutations; the result is the mean and standard deviation of
 * the drop. Model-agnostic: it only needs a predict function and a score (higher is better).
 */
import { mixSeed, seededRandom, shuffled } from '../data/random';
import { yieldToEventLoop } from '../engine/event-loop';
import { meanSd } from './folds';
import { argmaxRow } from './metrics';

export interface FeatureGroup {
  name: string;
  /** Column indices into the feature matrix, shuffled together with one permutation. */
  columns: number[];
}

export interface ImportanceInput {
  /** Row-major rows × cols feature matrix (not modified). */
  values: Float32Array;
  rows: number;
  cols: number;
  groups: FeatureGroup[];
  /** The model's outputs for a rows × cols matrix. */
  predict(values: Float32Array): Float32Array;
  /** The score of a set of outputs (higher is better: accuracy, R²). */
  score(outputs: Float32Array): number;
  repeats: number;
  seed: number;
  signal?: AbortSignal;
  onGroup?(done: number, total: number): void;
}

export interface FeatureImportance {
  name: string;
  /** Mean drop of the score over the repeats (baseline − shuffled). */
  mean: number;
  /** Sample standard deviation of the drop (0 with one repeat). */
  sd: number;
  drops: number[];
}

/** The baseline score and each group's importance, in the order of `groups`. */
export async function permutationImportance(input: ImportanceInput): Promise<{ baseline: number; features: FeatureImportance[] }> {
  const { values, rows, cols, groups, repeats } = input;
  if (rows < 2) throw new Error(`permutation importance needs at least 2 rows (got ${rows})`);
  const baseline = input.score(input.predict(values));
  const features: FeatureImportance[] = [];
  const shuffledValues = new Float32Array(values.length);
  const order = Array.from({ length: rows }, (_, i) => i);
  for (let g = 0; g < groups.length; g++) {
    if (input.signal?.aborted) throw input.signal.reason ?? new Error('cancelled');
    const group = groups[g];
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const permutation = shuffled(order, seededRandom(mixSeed(mixSeed(input.seed, g + 1), r + 1)));
      shuffledValues.set(values);
      for (let i = 0; i < rows; i++) {
        const from = permutation[i] * cols;
        const to = i * cols;
        for (const c of group.columns) shuffledValues[to + c] = values[from + c];
      }
      drops.push(baseline - input.score(input.predict(shuffledValues)));
    }
    features.push({ name: group.name, ...meanSd(drops), drops });
    input.onGroup?.(g + 1, groups.length);
    await yieldToEventLoop();
  }
  return { baseline, features };
}

/** Accuracy of class outputs (rows × k, argmax) against class indices. */
export function accuracyOf(outputs: Float32Array, truth: ArrayLike<number>, k: number): number {
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (argmaxRow(outputs, i, k) === truth[i]) correct++;
  return correct / truth.length;
}

/** R² of predictions against the truth (NaN when the truth is constant). */
export function r2Of(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < truth.length; i++) mean += truth[i];
  mean /= truth.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    residual += (truth[i] - predicted[i]) ** 2;
    total += (truth[i] - mean) ** 2;
  }
  return total === 0 ? NaN : 1 - residual / total;
}

/**
 * Feature groups from the model's feature names: the one-hot columns of one raw column
 * (`column=value`, as the encode step names them) form one group; every other feature is its own.
 */
export function groupFeatures(featureNames: readonly string[], oneHot: readonly { column: string; categories: readonly string[] }[]): FeatureGroup[] {
  const owner = new Map<string, string>();
  for (const { column, categories } of oneHot) for (const category of categories) owner.set(`${column}=${category}`, column);
  const groups: FeatureGroup[] = [];
  const byName = new Map<string, FeatureGroup>();
  featureNames.forEach((name, index) => {
    const key = owner.get(name) ?? name;
    let group = byName.get(key);
    if (!group) {
      group = { name: key, columns: [] };
      byName.set(key, group);
      groups.push(group);
    }
    group.columns.push(index);
  });
  return groups;
}
