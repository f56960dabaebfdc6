/** k-fold assignment for cross-validation: seeded, optionally stratified by class, every row held out exactly once per repeat. */
import { mixSeed, seededRandom, shuffled } from '../data/random';

export interface Fold {
  /** 1-based repeat and fold numbers, for messages. */
  repeat: number;
  fold: number;
  /** Rows the model learns from (the other folds). */
  train: Uint32Array;
  /** Rows it is scored on. */
  heldOut: Uint32Array;
}

/**
 * Splits `rows` into `k` folds, `repeats` times (each repeat reshuffled from the seed).
 * With `classOf`, each class is shuffled on its own and dealt round the folds in turn, so
 * every fold keeps the class proportions (and sizes differ by at most one row).
 */
export function kFolds(rows: ArrayLike<number>, k: number, seed: number, options: { repeats?: number; classOf?: (row: number) => number | string } = {}): Fold[] {
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(k) || k < 2) throw new Error(`cross-validation needs at least 2 folds (got ${k})`);
  if (rows.length < k) throw new Error(`${rows.length} rows cannot fill ${k} folds: use fewer folds`);
  const folds: Fold[] = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    const random = seededRandom(mixSeed(seed, repeat));
    const groups = new Map<number | string, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const key = options.classOf ? options.classOf(rows[i]) : 0;
      const group = groups.get(key) ?? [];
      group.push(rows[i]);
      groups.set(key, group);
    }
    const held: number[][] = Array.from({ length: k }, () => []);
    let next = 0;
    // Groups in first-appearance order, so the folds depend only on the data and the seed.
    for (const group of groups.values()) {
      for (const row of shuffled(group, random)) {
        held[next].push(row);
        next = (next + 1) % k;
      }
    }
    for (let f = 0; f < k; f++) {
      const inFold = new Set(held[f]);
      const train: number[] = [];
      for (let i = 0; i < rows.length; i++) if (!inFold.has(rows[i])) train.push(rows[i]);
      folds.push({ repeat, fold: f + 1, train: Uint32Array.from(train).sort(), heldOut: Uint32Array.from(held[f]).sort() });
    }
  }
  return folds;
}

/** Mean and (sample) standard deviation; sd is 0 for a single value. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}
