import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics, rocCurve, thinCurve } from './metrics';

describe('rocCurve', () => {
  it('gives area 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocCurve([0.9, 0.8, 0.2, 0.1], [true, true, false, false]).auc).toBe(1);
    expect(rocCurve([0.1, 0.2, 0.8, 0.9], [true, true, false, false]).auc).toBe(0);
  });

  it('matches the hand-computed Mann–Whitney area with one misordered pair', () => {
    // Positives scored 0.9, 0.4; negatives 0.5, 0.1: 3 of 4 positive/negative pairs ordered → 0.75.
    const curve = rocCurve([0.9, 0.5, 0.4, 0.1], [true, false, true, false]);
    expect(curve.auc).toBeCloseTo(0.75, 12);
    expect(curve.points).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });

  it('counts tied scores as one half', () => {
    expect(rocCurve([0.5, 0.5], [true, false]).auc).toBeCloseTo(0.5, 12);
  });

  it('returns NaN area when only one class is present, and rejects mismatched lengths', () => {
    expect(rocCurve([0.3, 0.4], [true, true]).auc).toBeNaN();
    expect(() => rocCurve([0.3], [true, false])).toThrow(/1 scores but 2 labels/);
  });

  it('thins long curves keeping both ends', () => {
    const pts: [number, number][] = Array.from({ length: 101 }, (_, i) => [i / 100, i / 100]);
    const thin = thinCurve(pts, 11);
    expect(thin).toHaveLength(11);
    expect(thin[0]).toEqual([0, 0]);
    expect(thin[10]).toEqual([1, 1]);
  });
});

describe('classificationMetrics', () => {
  it('computes accuracy, per-class precision/recall/F1 and the confusion matrix by hand', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c
    const classes = ['a', 'b', 'c'];
    const truth = [0, 0, 0, 1, 1, 2];
    const pred = [0, 0, 1, 1, 2, 2];
    const probabilities = pred.flatMap((p) => classes.map((_, c) => (c === p ? 0.8 : 0.1)));
    const m = classificationMetrics({ truth, probabilities, classes, partition: 'test' });
    expect(m.scalars.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.confusion?.matrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [a, b, c] = m.perClass!;
    expect(a).toMatchObject({ label: 'a', precision: 1, recall: 2 / 3, support: 3 });
    expect(a.f1).toBeCloseTo(0.8, 12);
    expect(b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c.precision).toBeCloseTo(0.5, 12);
    expect(c.recall).toBe(1);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(m.scalars.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(m.roc).toHaveLength(3);
    expect(m.predictions![2]).toEqual({ row: 2, truth: 'a', prediction: 'b', probability: 0.8 });
  });

  it('draws one ROC curve for the second class in a binary task', () => {
    const m = classificationMetrics({
      truth: [1, 0, 1, 0],
      probabilities: [0.1, 0.9, 0.5, 0.5, 0.6, 0.4, 0.9, 0.1],
      classes: ['no', 'yes'],
      rowIds: [10, 11, 12, 13],
      partition: 'validation',
    });
    expect(m.roc).toHaveLength(1);
    expect(m.roc![0].label).toBe('yes');
    expect(m.roc![0].auc).toBeCloseTo(0.75, 12);
    expect(m.scalars.auc).toBeCloseTo(0.75, 12);
    expect(m.predictions![0].row).toBe(10);
  });

  it('caps the predictions table', () => {
    const n = 1000;
    const truth = Array.from({ length: n }, (_, i) => i % 2);
    const probabilities = truth.flatMap((t) => (t ? [0.2, 0.8] : [0.7, 0.3]));
    const m = classificationMetrics({ truth, probabilities, classes: ['x', 'y'], partition: 'test', maxPredictions: 50 });
    expect(m.predictions).toHaveLength(50);
    expect(m.scalars.accuracy).toBe(1);
  });

  it('rejects bad input', () => {
    expect(() => classificationMetrics({ truth: [0], probabilities: [1], classes: ['a'], partition: 'test' })).toThrow(/two classes/);
    expect(() => classificationMetrics({ truth: [0], probabilities: [1, 0, 0], classes: ['a', 'b'], partition: 'test' })).toThrow(/1×2/);
    expect(() => classificationMetrics({ truth: [3], probabilities: [0.5, 0.5], classes: ['a', 'b'], partition: 'test' })).toThrow(/outside/);
    expect(() => classificationMetrics({ truth: [], probabilities: [], classes: ['a', 'b'], partition: 'test' })).toThrow(/no rows/);
  });
});

describe('regressionMetrics', () => {
  it('computes R², MAE and RMSE by hand', () => {
    // truth 1,2,3,4 (mean 2.5, SST 5); predictions 1,2,3,6: errors 0,0,0,-2 → SSE 4.
    const m = regressionMetrics({ truth: [1, 2, 3, 4], predicted: [1, 2, 3, 6], partition: 'test' });
    expect(m.scalars.mae).toBeCloseTo(0.5, 12);
    expect(m.scalars.rmse).toBeCloseTo(1, 12);
    expect(m.scalars.r2).toBeCloseTo(1 - 4 / 5, 12);
    expect(m.residuals![3]).toEqual({ predicted: 6, residual: -2 });
  });

  it('samples residuals evenly when capped, and reports NaN R² for a constant truth', () => {
    const truth = Array.from({ length: 1000 }, (_, i) => i);
    const m = regressionMetrics({ truth, predicted: truth, partition: 'train', maxResiduals: 100 });
    expect(m.residuals).toHaveLength(100);
    expect(m.scalars.r2).toBe(1);
    expect(regressionMetrics({ truth: [2, 2], predicted: [2, 3], partition: 'test' }).scalars.r2).toBeNaN();
  });

  it('rejects mismatched or empty input', () => {
    expect(() => regressionMetrics({ truth: [1, 2], predicted: [1], partition: 'test' })).toThrow(/2 targets but 1/);
    expect(() => regressionMetrics({ truth: [], predicted: [], partition: 'test' })).toThrow(/no rows/);
  });
});
