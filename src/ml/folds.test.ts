import { describe, expect, it } from 'vitest';
import { kFolds, meanSd } from './folds';

describe('kFolds', () => {
  const rows = Uint32Array.from({ length: 53 }, (_, i) => i * 2); // any row ids, not 0..n
  const classOf = (row: number) => (row % 3 === 0 ? 'a' : row % 3 === 1 ? 'b' : 'c');

  it('holds every row out exactly once per repeat; folds are disjoint and train is the rest', () => {
    const folds = kFolds(rows, 5, 7, { repeats: 2, classOf });
    expect(folds).toHaveLength(10);
    for (const repeat of [1, 2]) {
      const ofRepeat = folds.filter((f) => f.repeat === repeat);
      const held = ofRepeat.flatMap((f) => Array.from(f.heldOut));
      expect(held.sort((a, b) => a - b)).toEqual(Array.from(rows));
      for (const fold of ofRepeat) {
        expect(fold.train.length + fold.heldOut.length).toBe(rows.length);
        const train = new Set(fold.train);
        expect(Array.from(fold.heldOut).some((r) => train.has(r))).toBe(false);
        expect(fold.heldOut.length === 10 || fold.heldOut.length === 11).toBe(true);
      }
    }
    // Repeats reshuffle.
    expect(Array.from(folds[0].heldOut)).not.toEqual(Array.from(folds[5].heldOut));
  });

  it('keeps class proportions in every fold (stratified)', () => {
    const labels = Uint32Array.from({ length: 100 }, (_, i) => i);
    const folds = kFolds(labels, 5, 1, { classOf: (r) => (r < 80 ? 0 : 1) });
    for (const fold of folds) expect(Array.from(fold.heldOut).filter((r) => r >= 80)).toHaveLength(4);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = kFolds(rows, 5, 3, { classOf });
    expect(kFolds(rows, 5, 3, { classOf }).map((f) => Array.from(f.heldOut))).toEqual(a.map((f) => Array.from(f.heldOut)));
    expect(kFolds(rows, 5, 4, { classOf }).map((f) => Array.from(f.heldOut))).not.toEqual(a.map((f) => Array.from(f.heldOut)));
  });

  it('refuses fewer rows than folds, and k < 2', () => {
    expect(() => kFolds(Uint32Array.of(1, 2), 3, 1)).toThrow(/cannot fill 3 folds/);
    expect(() => kFolds(rows, 1, 1)).toThrow(/at least 2 folds/);
  });

  it('meanSd is the sample standard deviation', () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(meanSd([0.9])).toEqual({ mean: 0.9, sd: 0 });
  });
});
