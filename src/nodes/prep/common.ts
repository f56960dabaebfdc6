/** Shared by prep and feature nodes: append a fitted step, and remember a summary for the output. */
import { appendTransform, checkColumns, featureColumns, fitRows } from '../../data/dataset';
import type { Dataset, FittedTransform } from '../../data/types';
import type { ProgressUpdate } from '../../engine/node';

/** Summary text per output dataset: `run` knows counts that `summarize` (outputs only) cannot recompute. */
const summaries = new WeakMap<object, string>();

/** Returns a shallow copy of `output` (never the input object itself, whose own summary must stay) tagged with `text`. */
export function remember<T extends object>(output: T, text: string): T {
  const copy = { ...output };
  summaries.set(copy, text);
  return copy;
}

export function recalled(output: object, fallback: string): string {
  return summaries.get(output) ?? fallback;
}

export function fittedOnText(fittedOn: 'train' | 'all'): string {
  return fittedOn === 'train' ? 'fitted on train' : 'fitted on ALL rows: no split yet, so test rows leak in; put Split first';
}

/** Columns chosen by the user, or the default kind among the features; checked to exist and not be the target. */
export function chooseColumns(dataset: Dataset, chosen: string[], kind: 'numeric' | 'category' | 'any'): string[] {
  const columns = chosen.length > 0 ? chosen : featureColumns(dataset, kind);
  checkColumns(dataset, columns);
  return columns;
}

/**
 * Fits on the training rows (all rows before a split), applies to every row, appends to
 * the chain. Notes from applying (unseen categories…) go out as progress messages.
 */
export function fitAndAppend(
  dataset: Dataset,
  nodeId: string,
  kind: string,
  fit: (rows: Uint32Array) => object,
  progress: (update: ProgressUpdate) => void,
): { dataset: Dataset; fittedOn: 'train' | 'all'; state: Record<string, unknown> } {
  const { rows, fittedOn } = fitRows(dataset);
  if (rows.length === 0) throw new Error('The training partition is empty: nothing to fit on.');
  const state = { ...fit(rows) } as Record<string, unknown>;
  const transform: FittedTransform = { kind, nodeId, fittedOn, state };
  const notes: string[] = [];
  const out = appendTransform(dataset, transform, notes);
  for (const message of notes) progress({ message });
  return { dataset: out, fittedOn, state };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
