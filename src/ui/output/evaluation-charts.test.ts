import { describe, expect, it } from 'vitest';
import { histogram, predictedVsActual } from './EvaluationCharts';

describe('regression charts', () => {
  it('bins residuals into equal-width bins that count every value', () => {
    const values = [-2, -1, -1, 0, 0, 0, 1, 1, 2, NaN];
    const { centres, counts, width } = histogram(values, 5);
    expect(counts).toEqual([1, 2, 3, 2, 1]);
    expect(width).toBeCloseTo(0.8);
    expect(centres[0]).toBeCloseTo(-1.6);
    expect(histogram([3, 3]).counts.reduce((a, b) => a + b)).toBe(2);
  });

  it('pairs actual (predicted + residual) with predicted, sorted by actual, on one range for both axes', () => {
    const { data, range } = predictedVsActual([
      { predicted: 10, residual: 2 },
      { predicted: 5, residual: -1 },
    ]);
    expect(data).toEqual([
      [4, 12],
      [5, 10],
      [4, 12],
    ]);
    expect(range[0]).toBeLessThan(4);
    expect(range[1]).toBeGreaterThan(12);
  });
});
