/**
 * A tune node's trials as a leaderboard: one row per trial (its params, the optimised metric,
 * epochs, status), sortable by any column, the best row marked, and "Use these params" to
 * write a trial's values into the spec/train nodes (one undo step).
 */
import { useMemo, useState } from 'react';
import type { TrialResult } from '../../data/types';
import { editorStore } from '../../state/store';
import { applyTrialParams } from '../../state/tune';
import { formatNumber } from './format';
import './output.css';

type SortKey = { kind: 'trial' | 'score' | 'cv' | 'epochs' | 'status' } | { kind: 'param'; name: string };
type Direction = 'ascending' | 'descending';

const STATUS_ORDER: Record<TrialResult['status'], number> = { best: 0, done: 1, pruned: 2, failed: 3, skipped: 4 };

export function paramText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return JSON.stringify(value);
}

function sortValue(trial: TrialResult, key: SortKey): number | string | undefined {
  switch (key.kind) {
    case 'trial':
      return trial.trial;
    case 'score':
      return Number.isFinite(trial.score) ? trial.score : undefined;
    case 'cv':
      return trial.cv?.mean;
    case 'epochs':
      return trial.epochs;
    case 'status':
      return STATUS_ORDER[trial.status];
    case 'param': {
      const value = trial.params[key.name];
      return typeof value === 'number' ? value : value === undefined ? undefined : paramText(value);
    }
  }
}

/** Trials in `direction` by `key`; rows without a value (failed: no score) go last either way, ties by trial number. */
export function sortTrials(trials: readonly TrialResult[], key: SortKey, direction: Direction): TrialResult[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...trials].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === undefined || y === undefined) return x === y ? a.trial - b.trial : x === undefined ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return order * sign || a.trial - b.trial;
  });
}

function describeChange(changed: Record<string, Record<string, unknown>>): string {
  return Object.entries(changed)
    .map(([node, params]) => `${node}: ${Object.entries(params).map(([k, v]) => `${k} ${paramText(v)}`).join(', ')}`)
    .join('; ');
}

export function Leaderboard({ trials, metric, nodeId }: { trials: TrialResult[]; metric: string; nodeId?: string }) {
  const higherIsBetter = /accuracy|auc|r2|f1/i.test(metric);
  // Ranked by cross-validation: the finalists' CV mean ± sd, higher is better.
  const cv = trials.find((t) => t.cv)?.cv;
  const names = useMemo(() => [...new Set(trials.flatMap((t) => Object.keys(t.params)))], [trials]);
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction } | null>(null);
  const rows = useMemo(() => (sort ? sortTrials(trials, sort.key, sort.direction) : trials), [trials, sort]);
  const same = (key: SortKey) => sort !== null && sort.key.kind === key.kind && (key.kind !== 'param' || (sort.key.kind === 'param' && sort.key.name === key.name));
  const header = (label: string, key: SortKey, title?: string) => {
    const active = same(key);
    // First click on the metric puts the best first; on anything else, ascending.
    const first: Direction = (key.kind === 'score' && higherIsBetter) || key.kind === 'cv' ? 'descending' : 'ascending';
    return (
      <th key={label} aria-sort={active ? sort!.direction : 'none'} title={title}>
        <button
          type="button"
          className="sort"
          data-testid={`sort-${key.kind === 'param' ? `param-${key.name}` : key.kind}`}
          onClick={() => setSort({ key, direction: active ? (sort!.direction === 'ascending' ? 'descending' : 'ascending') : first })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort!.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };
  const use = (trial: TrialResult) => {
    if (!nodeId) return;
    const { changed, unused } = applyTrialParams(nodeId, trial.params);
    const state = editorStore.getState();
    const done = Object.keys(changed).length > 0 ? `Trial ${trial.trial}'s params written (${describeChange(changed)}); Ctrl+Z undoes it` : `The nodes already have trial ${trial.trial}'s params`;
    state.toast(unused.length > 0 ? 'warning' : 'info', unused.length > 0 ? `${done}. No spec or train node takes: ${unused.join(', ')}` : done);
  };
  return (
    <div className="view leaderboard" data-testid="view-leaderboard">
      <h3>
        Trials{' '}
        <span className="muted">
          ({trials.length}; {metric} on the validation rows, {higherIsBetter ? 'higher' : 'lower'} is better
          {cv && `; ranked by ${cv.folds}-fold CV ${cv.metric === 'r2' ? 'R²' : cv.metric} on the non-test rows`})
        </span>
      </h3>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {header('#', { kind: 'trial' })}
              {names.map((name) => header(name, { kind: 'param', name }))}
              {header(metric, { kind: 'score' })}
              {cv && header(`CV ${cv.metric === 'r2' ? 'R²' : cv.metric}`, { kind: 'cv' }, `${cv.folds}-fold cross-validation mean ± sd`)}
              {header('epochs', { kind: 'epochs' })}
              {header('status', { kind: 'status' })}
              <th aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((trial) => (
              <tr key={trial.trial} className={trial.status === 'best' ? 'best' : undefined} data-testid="trial-row" data-trial={trial.trial} data-status={trial.status}>
                <td className="num">
                  {trial.status === 'best' && (
                    <span className="best-mark" aria-label="best trial" title="best trial">
                      ★{' '}
                    </span>
                  )}
                  {trial.trial}
                </td>
                {names.map((name) => (
                  <td key={name} className={typeof trial.params[name] === 'number' ? 'num' : undefined}>
                    {paramText(trial.params[name])}
                  </td>
                ))}
                <td className="num" data-testid="trial-score">
                  {formatNumber(trial.score)}
                </td>
                {cv && (
                  <td className="num" data-testid="trial-cv">
                    {trial.cv ? `${formatNumber(trial.cv.mean)} ± ${formatNumber(trial.cv.sd)}` : ''}
                  </td>
                )}
                <td className="num">{trial.epochs}</td>
                <td title={trial.message}>{trial.status}</td>
                <td>
                  {nodeId && trial.status !== 'failed' && trial.status !== 'skipped' && (
                    <button type="button" data-testid="use-trial-params" onClick={() => use(trial)} title="Write these values into the spec and train nodes">
                      Use these params
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
