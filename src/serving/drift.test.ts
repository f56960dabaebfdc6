import { describe, expect, it } from 'vitest';
import {
  categoricalDrift,
  computeDrift,
  driftingSince,
  driftTimeline,
  kolmogorovQ,
  ksStatistic,
  ksTest,
  numericDrift,
  psi,
  psiStatus,
  worstStatus,
} from './drift';
import { categoricalReference, numericReference, type ReferenceProfile } from './reference';

const range = (n: number, start = 0, step = 1) => Array.from({ length: n }, (_, i) => start + i * step);

describe('PSI', () => {
  it('matches the hand-computed value without smoothing', () => {
    // 0.4·ln(0.9/0.5) − 0.4·ln(0.1/0.5) = 0.4·ln 9
    expect(psi([0.5, 0.5], [0.9, 0.1], 0)).toBeCloseTo(0.4 * Math.log(9), 12);
    expect(psi([0.5, 0.5], [0.9, 0.1], 0)).toBeCloseTo(0.878889831, 8);
  });

  it('is zero for identical distributions and symmetric in its terms', () => {
    expect(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBeCloseTo(0, 15);
    expect(psi([0.2, 0.8], [0.6, 0.4], 0)).toBeCloseTo(psi([0.6, 0.4], [0.2, 0.8], 0), 12);
  });

  it('stays finite with an empty bin thanks to additive smoothing', () => {
    const eps = 1e-4;
    const norm = 1 + 2 * eps;
    const e = [(1 + eps) / norm, eps / norm];
    const a = [(0.5 + eps) / norm, (0.5 + eps) / norm];
    const expected = (a[0] - e[0]) * Math.log(a[0] / e[0]) + (a[1] - e[1]) * Math.log(a[1] / e[1]);
    expect(psi([1, 0], [0.5, 0.5], eps)).toBeCloseTo(expected, 12);
    expect(psi([1, 0], [0.5, 0.5], eps)).toBeCloseTo(4.6043, 3);
  });

  it('refuses mismatched bins', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow(/equal bin counts/);
  });

  it('maps values to green / amber / red at 0.1 and 0.25', () => {
    expect(psiStatus(0.0999)).toBe('green');
    expect(psiStatus(0.1)).toBe('amber');
    expect(psiStatus(0.2499)).toBe('amber');
    expect(psiStatus(0.25)).toBe('red');
  });
});

describe('KS', () => {
  it('computes the statistic on overlapping and tied samples', () => {
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 15);
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([1, 2, 3], [3, 2, 1])).toBe(0);
    expect(ksStatistic(range(50), range(50, 100))).toBe(1);
  });

  it('has the textbook Kolmogorov critical values', () => {
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 3);
    expect(kolmogorovQ(0)).toBe(1);
    expect(kolmogorovQ(10)).toBeCloseTo(0, 12);
  });

  it('gives the hand-computed p-value for a small pair', () => {
    // nₑ = 4·4/8 = 2, λ = (√2 + 0.12 + 0.11/√2)·0.5
    const lambda = (Math.SQRT2 + 0.12 + 0.11 / Math.SQRT2) * 0.5;
    const series = 2 * (Math.exp(-2 * lambda ** 2) - Math.exp(-8 * lambda ** 2) + Math.exp(-18 * lambda ** 2) - Math.exp(-32 * lambda ** 2));
    const result = ksTest([1, 2, 3, 4], [3, 4, 5, 6]);
    expect(result.statistic).toBeCloseTo(0.5, 15);
    expect(result.pValue).toBeCloseTo(series, 10);
    expect(result.pValue).toBeCloseTo(0.5344, 3);
  });

  it('finds disjoint samples significant and refuses empty ones', () => {
    expect(ksTest(range(50), range(50, 100)).pValue).toBeLessThan(1e-10);
    expect(() => ksTest([], [1])).toThrow(/non-empty/);
  });
});

describe('feature drift', () => {
  const uniform = numericReference('x', range(1000));

  it('is green for the same distribution', () => {
    const drift = numericDrift(uniform, range(100, 0, 10));
    expect(drift.psi!).toBeLessThan(0.01);
    expect(drift.ks!.pValue).toBeGreaterThan(0.5);
    expect(drift.status).toBe('green');
  });

  it('is red when everything lands in the top decile', () => {
    const drift = numericDrift(uniform, range(100, 900));
    expect(drift.psi!).toBeGreaterThan(0.25);
    expect(drift.status).toBe('red');
  });

  it('turns amber on a significant KS shift that PSI alone calls green', () => {
    // Shifted by 6% of the range: PSI = −0.06·ln 0.4 + 0.06·ln 1.6 ≈ 0.083 (green), but KS with 5000 values sees it.
    const drift = numericDrift(uniform, range(5000, 60, 0.2));
    expect(drift.psi!).toBeGreaterThan(0.07);
    expect(drift.psi!).toBeLessThan(0.1);
    expect(drift.ks!.pValue).toBeLessThan(0.01);
    expect(drift.status).toBe('amber');
  });

  it('is unknown with too few values and ignores non-numbers', () => {
    const drift = numericDrift(uniform, [1, 2, 3, 'x', null, NaN]);
    expect(drift).toMatchObject({ count: 3, psi: null, ks: null, status: 'unknown' });
  });

  it('counts unseen categories in their own bucket', () => {
    const reference = categoricalReference('c', ['A', 'B'], ['A', 'B']);
    const values = [...Array(20).fill('A'), ...Array(10).fill('B'), ...Array(10).fill('C')];
    const drift = categoricalDrift(reference, values);
    const expected = psi([0.5, 0.5, 0], [0.5, 0.25, 0.25]);
    expect(drift.psi).toBeCloseTo(expected, 12);
    expect(drift.status).toBe('red');
    expect(drift.unseen).toEqual(['C']);
  });

  it('is green for matching category frequencies', () => {
    const reference = categoricalReference('c', ['A', 'A', 'B', 'B']);
    const drift = categoricalDrift(reference, [...Array(20).fill('A'), ...Array(20).fill('B')]);
    expect(drift.psi).toBeCloseTo(0, 12);
    expect(drift.status).toBe('green');
  });
});

describe('endpoint status and timeline', () => {
  const profile: ReferenceProfile = {
    format: 'pipeline-studio/reference',
    version: 1,
    rowCount: 1000,
    features: [numericReference('x', range(1000)), categoricalReference('c', [...Array(500).fill('A'), ...Array(500).fill('B')])],
  };
  const normal = (i: number) => ({ x: (i * 10) % 1000, c: i % 2 ? 'A' : 'B' });
  const shifted = (i: number) => ({ x: 900 + (i % 100), c: i % 2 ? 'A' : 'B' });

  it('takes the worst feature status', () => {
    expect(worstStatus(['green', 'amber', 'unknown'])).toBe('amber');
    expect(worstStatus(['unknown'])).toBe('unknown');
    expect(worstStatus([])).toBe('unknown');
    const report = computeDrift(profile, range(100).map(shifted));
    expect(report.features.map((f) => f.status)).toEqual(['red', 'green']);
    expect(report.status).toBe('red');
  });

  it('dates the drift from the first non-green window of the current episode', () => {
    const minute = 60_000;
    const records = [
      ...range(100).map((i) => ({ time: 0 * minute + i, inputs: normal(i) })),
      ...range(100).map((i) => ({ time: 1 * minute + i, inputs: shifted(i) })),
      ...range(5).map((i) => ({ time: 2 * minute + i, inputs: normal(i) })),
      ...range(100).map((i) => ({ time: 3 * minute + i, inputs: shifted(i) })),
    ];
    const timeline = driftTimeline(profile, records, minute);
    expect(timeline.windows.map((w) => [w.start, w.status])).toEqual([
      [0, 'green'],
      [minute, 'red'],
      [2 * minute, 'unknown'],
      [3 * minute, 'red'],
    ]);
    expect(timeline.driftingSince).toBe(minute);
    expect(timeline.status).toBe('red');

    const recovered = driftTimeline(profile, [...records, ...range(100).map((i) => ({ time: 4 * minute + i, inputs: normal(i) }))], minute);
    expect(recovered.driftingSince).toBeNull();
    expect(recovered.status).toBe('green');
  });

  it('restarts the episode after a green window', () => {
    expect(
      driftingSince([
        { start: 1, status: 'amber' },
        { start: 2, status: 'green' },
        { start: 3, status: 'amber' },
        { start: 4, status: 'red' },
      ]),
    ).toEqual({ driftingSince: 3, status: 'red' });
    expect(() => driftTimeline(profile, [], 0)).toThrow(/positive/);
  });
});
