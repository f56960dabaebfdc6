/**
 * Category encodings learned on the training rows.
 * Unseen at apply time: one-hot → all zeros (plus a note); ordinal → the reserved code -1.
 * Missing: one-hot → all zeros; ordinal → missing (NaN), so the Missing values node decides.
 * One-hot outputs are boolean (0/1) columns, so scaling/PCA defaults (dtype number) leave them alone.
 */
import { DataError, getColumn, replaceColumns } from '../table';
import type { Column, Table } from '../types';
import { registerApplier } from './registry';

export interface EncodeState {
  columns: string[];
  /** Per column, the categories seen on the training rows, in output order. */
  categories: string[][];
}

/** Reserved ordinal code for a category the encoder never saw. */
export const UNKNOWN_CODE = -1;
const MAX_ONE_HOT = 200;

function labelsOf(column: Column): (row: number) => string | null {
  if (column.dtype === 'category') return (r) => (column.codes[r] < 0 ? null : column.categories[column.codes[r]]);
  if (column.dtype === 'text') return (r) => column.values[r];
  if (column.dtype === 'boolean') return (r) => (Number.isNaN(column.values[r]) ? null : column.values[r] === 1 ? 'true' : 'false');
  return (r) => (Number.isNaN(column.values[r]) ? null : String(column.values[r]));
}

export function fitEncode(table: Table, rows: ArrayLike<number>, columns: string[], method: 'onehot' | 'ordinal'): EncodeState {
  const categories = columns.map((name) => {
    const column = getColumn(table, name);
    const label = labelsOf(column);
    const seen = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const l = label(rows[i]);
      if (l !== null) seen.add(l);
    }
    if (seen.size === 0) throw new DataError(`Column "${name}" has no values on the training rows: nothing to encode. Drop the column.`);
    if (method === 'onehot' && seen.size > MAX_ONE_HOT) {
      throw new DataError(`Column "${name}" has ${seen.size} distinct values: one-hot would add ${seen.size} columns (limit ${MAX_ONE_HOT}). Use ordinal, or drop it.`);
    }
    // Keep the column's own category order (sorted at ingest) so encodings are stable.
    const order = column.dtype === 'category' ? column.categories.filter((c) => seen.has(c)) : [...seen].sort();
    return order;
  });
  return { columns, categories };
}

function unseenNote(name: string, unseen: Map<string, number>): string {
  const shown = [...unseen.keys()].slice(0, 5).map((l) => JSON.stringify(l)).join(', ');
  const total = [...unseen.values()].reduce((a, b) => a + b, 0);
  return `Column "${name}": ${total} value(s) not seen in training (${shown})`;
}

registerApplier<EncodeState>('onehot', {
  apply(state, table, notes) {
    let out = table;
    state.columns.forEach((name, j) => {
      const column = getColumn(out, name);
      const label = labelsOf(column);
      const index = new Map(state.categories[j].map((c, i) => [c, i]));
      const outputs = state.categories[j].map(() => new Float64Array(out.rowCount));
      const unseen = new Map<string, number>();
      for (let r = 0; r < out.rowCount; r++) {
        const l = label(r);
        if (l === null) continue;
        const k = index.get(l);
        if (k === undefined) unseen.set(l, (unseen.get(l) ?? 0) + 1);
        else outputs[k][r] = 1;
      }
      if (unseen.size > 0) notes.push(`${unseenNote(name, unseen)}: one-hot encoded as all zeros.`);
      out = replaceColumns(out, [name], state.categories[j].map((c, k) => ({ name: `${name}=${c}`, dtype: 'boolean' as const, values: outputs[k] })));
    });
    return out;
  },
  describe: (s) => `one-hot ${s.columns.map((c, i) => `${c} (${s.categories[i].length})`).join(', ')}`,
  inputs: (s) => s.columns,
  refit: (s, table, rows) => fitEncode(table, rows, s.columns, 'onehot'),
});

registerApplier<EncodeState>('ordinal', {
  apply(state, table, notes) {
    let out = table;
    state.columns.forEach((name, j) => {
      const column = getColumn(out, name);
      const label = labelsOf(column);
      const index = new Map(state.categories[j].map((c, i) => [c, i]));
      const values = new Float64Array(out.rowCount);
      const unseen = new Map<string, number>();
      for (let r = 0; r < out.rowCount; r++) {
        const l = label(r);
        if (l === null) {
          values[r] = NaN;
          continue;
        }
        const k = index.get(l);
        if (k === undefined) unseen.set(l, (unseen.get(l) ?? 0) + 1);
        values[r] = k ?? UNKNOWN_CODE;
      }
      if (unseen.size > 0) notes.push(`${unseenNote(name, unseen)}: ordinal code ${UNKNOWN_CODE} (unknown).`);
      out = replaceColumns(out, [name], [{ name, dtype: 'number', values }]);
    });
    return out;
  },
  describe: (s) => `ordinal ${s.columns.map((c, i) => `${c} (${s.categories[i].length})`).join(', ')}`,
  inputs: (s) => s.columns,
  refit: (s, table, rows) => fitEncode(table, rows, s.columns, 'ordinal'),
});
