import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../data/types';
import { paramText, sortTrials } from './Leaderboard';

const trial = (n: number, score: number, params: Record<string, unknown>, status: TrialResult['status'] = 'done'): TrialResult => ({ trial: n, params, score, epochs: 10, status });
const trials = [trial(1, 0.5, { lr: 0.01, layers: [8] }, 'best'), trial(2, NaN, { lr: 0.1, layers: [4] }, 'failed'), trial(3, 0.7, { lr: 0.001, layers: [16] }), trial(4, 0.6, { lr: 0.1, layers: [8, 4] })];

describe('leaderboard sorting', () => {
  it('sorts by the metric either way, with failed trials (no score) last', () => {
    expect(sortTrials(trials, { kind: 'score' }, 'ascending').map((t) => t.trial)).toEqual([1, 4, 3, 2]);
    expect(sortTrials(trials, { kind: 'score' }, 'descending').map((t) => t.trial)).toEqual([3, 4, 1, 2]);
  });

  it('sorts by a param (numbers as numbers, ties by trial) and by status', () => {
    expect(sortTrials(trials, { kind: 'param', name: 'lr' }, 'ascending').map((t) => t.trial)).toEqual([3, 1, 2, 4]);
    expect(sortTrials(trials, { kind: 'status' }, 'ascending').map((t) => t.trial)).toEqual([1, 3, 4, 2]);
    expect(paramText([8, 4])).toBe('[8,4]');
    expect(paramText(0.01)).toBe('0.01');
  });

  it('sorts by the CV mean when the trials were ranked by cross-validation, trials without one (pruned) last', () => {
    const cv = (mean: number) => ({ metric: 'accuracy', folds: 5, mean, sd: 0.01 });
    const ranked = [{ ...trials[0], cv: cv(0.9) }, trials[1], { ...trials[2], cv: cv(0.95) }, trials[3]];
    expect(sortTrials(ranked, { kind: 'cv' }, 'descending').map((t) => t.trial)).toEqual([3, 1, 2, 4]);
  });
});
