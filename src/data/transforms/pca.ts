/** PCA fitted on the training rows: covariance + symmetric (Jacobi) eigendecomposition, in pure TS. */
import { DataError, replaceColumns } from '../table';
import type { Table } from '../types';
import { numericColumn } from './common';
import { registerApplier } from './registry';

export interface PcaState {
  columns: string[];
  mean: number[];
  /** k rows of length d: the principal axes, largest variance first. */
  components: number[][];
  /** Fraction of the variance each component explains. */
  explained: number[];
  names: string[];
}

export const MAX_PCA_COLUMNS = 400;

/** Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: v };
}

/** `components` > 0 keeps that many; otherwise keeps the fewest reaching `varianceKept`. */
export function fitPca(table: Table, rows: ArrayLike<number>, columns: string[], components: number, varianceKept: number): PcaState {
  const d = columns.length;
  if (d < 2) throw new DataError('PCA needs at least 2 numeric columns.');
  if (d > MAX_PCA_COLUMNS) throw new DataError(`PCA over ${d} columns is too large here (limit ${MAX_PCA_COLUMNS}).`);
  if (rows.length < 2) throw new DataError('PCA needs at least 2 training rows.');
  const data = columns.map((name) => {
    const column = numericColumn(table, name, 'PCA');
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      values[i] = column.values[rows[i]];
      if (Number.isNaN(values[i])) throw new DataError(`Column "${name}" has missing values: impute them (Missing values node) before PCA.`);
    }
    return values;
  });
  const mean = data.map((values) => values.reduce((a, b) => a + b, 0) / values.length);
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let sum = 0;
      for (let r = 0; r < rows.length; r++) sum += (data[i][r] - mean[i]) * (data[j][r] - mean[j]);
      covariance[i][j] = covariance[j][i] = sum / (rows.length - 1);
    }
  }
  const { values, vectors } = symmetricEigen(covariance);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((a, b) => a + Math.max(0, b), 0) || 1;
  const explainedAll = order.map((i) => Math.max(0, values[i]) / total);
  let k = components > 0 ? Math.min(components, d) : 0;
  if (k === 0) {
    let cumulative = 0;
    while (k < d && cumulative < varianceKept - 1e-12) cumulative += explainedAll[k++];
  }
  const axes = order.slice(0, k).map((col) => {
    const axis = vectors.map((row) => row[col]);
    // Fix the sign (largest |loading| positive) so results do not flip between runs.
    const largest = axis.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    return largest < 0 ? axis.map((x) => -x) : axis;
  });
  return { columns, mean, components: axes, explained: explainedAll.slice(0, k), names: axes.map((_, i) => `pc${i + 1}`) };
}

registerApplier<PcaState>('pca', {
  apply(s, table) {
    const inputs = s.columns.map((name) => numericColumn(table, name, 'PCA').values);
    const outputs = s.components.map((axis) => {
      const values = new Float64Array(table.rowCount);
      for (let r = 0; r < table.rowCount; r++) {
        let sum = 0;
        for (let j = 0; j < axis.length; j++) sum += (inputs[j][r] - s.mean[j]) * axis[j];
        values[r] = sum;
      }
      return values;
    });
    return replaceColumns(table, s.columns, outputs.map((values, i) => ({ name: s.names[i], dtype: 'number' as const, values })));
  },
  describe: (s) => `PCA ${s.columns.length} → ${s.components.length} components (${(s.explained.reduce((a, b) => a + b, 0) * 100).toFixed(1)}% of variance)`,
  inputs: (s) => s.columns,
  // The same number of components (their names are the features downstream), learned on `rows`.
  refit: (s, table, rows) => fitPca(table, rows, s.columns, s.components.length, 1),
});
