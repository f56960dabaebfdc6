import { describe, expect, it } from 'vitest';
import { calibrationCurve } from './calibration';
import { meanSd } from './folds';
import { accuracyOf, groupFeatures, permutationImportance, r2Of } from './importance';
import { seededRandom } from '../data/random';

/** 200 rows: x0 drives y (y = 3·x0), x1 is pure noise the "model" ignores, x2 barely matters. */
function linearProblem() {
  const random = seededRandom(5);
  const rows = 200;
  const cols = 3;
  const values = new Float32Array(rows * cols);
  const truth: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) values[i * cols + c] = random() * 2 - 1;
    truth.push(3 * values[i * cols] + 0.1 * values[i * cols + 2]);
  }
  const predict = (x: Float32Array) => {
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = 3 * x[i * cols] + 0.1 * x[i * cols + 2];
    return out;
  };
  return { values, rows, cols, truth, predict, score: (out: Float32Array) => r2Of(out, truth) };
}

describe('permutation importance', () => {
  it('gives a pure-noise feature no importance and lets the informative one dominate', async () => {
    const p = linearProblem();
    const groups = [0, 1, 2].map((c) => ({ name: `x${c}`, columns: [c] }));
    const { baseline, features } = await permutationImportance({ ...p, groups, repeats: 5, seed: 7 });
    expect(baseline).toBeCloseTo(1, 6);
    const [x0, x1, x2] = features;
    expect(x1.mean).toBe(0);
    expect(x1.sd).toBe(0);
    // Shuffling x0 destroys the fit: R² drops by about 2 (1 − (−1)) for an independent copy.
    expect(x0.mean).toBeGreaterThan(1.5);
    expect(x0.mean).toBeGreaterThan(100 * x2.mean);
    expect(x2.mean).toBeGreaterThan(0);
    expect(x0.drops).toHaveLength(5);
    expect(x0.sd).toBeGreaterThan(0);
  });

  it('gives the same numbers for the same seed and others for another seed', async () => {
    const p = linearProblem();
    const groups = [{ name: 'x0', columns: [0] }];
    const a = await permutationImportance({ ...p, groups, repeats: 3, seed: 11 });
    const b = await permutationImportance({ ...p, groups, repeats: 3, seed: 11 });
    const c = await permutationImportance({ ...p, groups, repeats: 3, seed: 12 });
    expect(a).toEqual(b);
    expect(a.features[0].drops).not.toEqual(c.features[0].drops);
  });

  it('leaves the input matrix untouched and shuffles a group’s columns with one permutation', async () => {
    const p = linearProblem();
    const copy = p.values.slice();
    const seen: Float32Array[] = [];
    await permutationImportance({
      ...p,
      groups: [{ name: 'pair', columns: [0, 1] }],
      repeats: 1,
      seed: 1,
      predict: (x) => {
        seen.push(x.slice());
        return p.predict(x);
      },
    });
    expect(p.values).toEqual(copy);
    const shuffledRows = seen[1];
    // Each shuffled row's (x0, x1) pair is an original row's pair: they moved together.
    const pairs = new Set(Array.from({ length: p.rows }, (_, i) => `${copy[i * 3]},${copy[i * 3 + 1]}`));
    for (let i = 0; i < p.rows; i++) expect(pairs.has(`${shuffledRows[i * 3]},${shuffledRows[i * 3 + 1]}`)).toBe(true);
  });

  it('groups the one-hot columns of one raw column', () => {
    const groups = groupFeatures(['x', 'Origin=Europe', 'Origin=Japan', 'Origin=USA', 'y'], [{ column: 'Origin', categories: ['Europe', 'Japan', 'USA'] }]);
    expect(groups).toEqual([
      { name: 'x', columns: [0] },
      { name: 'Origin', columns: [1, 2, 3] },
      { name: 'y', columns: [4] },
    ]);
  });

  it('scores accuracy and R², and summarises drops as mean ± sample sd', () => {
    expect(accuracyOf(Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4]), [0, 1, 1], 2)).toBeCloseTo(2 / 3);
    expect(r2Of([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(Number.isNaN(r2Of([1, 2], [5, 5]))).toBe(true);
    expect(meanSd([1, 3])).toEqual({ mean: 2, sd: Math.SQRT2 });
  });
});

describe('calibration curve', () => {
  it('bins rows by confidence: a model right as often as it is sure sits on the diagonal (ECE ≈ 0)', () => {
    // 10 rows at confidence 0.9, 9 right; 10 rows at 0.6, 6 right.
    const probabilities: number[] = [];
    const truth: number[] = [];
    for (let i = 0; i < 10; i++) {
      probabilities.push(0.9, 0.1);
      truth.push(i < 9 ? 0 : 1);
    }
    for (let i = 0; i < 10; i++) {
      probabilities.push(0.4, 0.6);
      truth.push(i < 6 ? 1 : 0);
    }
    const { bins, ece } = calibrationCurve(Float32Array.from(probabilities), truth, 2);
    expect(bins.map((b) => b.count)).toEqual([10, 10]);
    expect(bins[0].confidence).toBeCloseTo(0.6, 5);
    expect(bins[0].accuracy).toBeCloseTo(0.6, 5);
    expect(bins[1].accuracy).toBeCloseTo(0.9, 5);
    expect(ece).toBeCloseTo(0, 5);
    // Always sure, right half the time: a gap of 0.5.
    expect(calibrationCurve(Float32Array.from([1, 0, 1, 0]), [0, 1], 2).ece).toBeCloseTo(0.5, 5);
  });
});
