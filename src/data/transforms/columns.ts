/** Stateless or simply-fitted column steps: drop, polynomial terms, log/power, binning. */
import { DataError, findColumn, replaceColumns } from '../table';
import type { Column, Table } from '../types';
import { numericColumn, presentValues, quantile, round, sortedCopy } from './common';
import { registerApplier } from './registry';

export interface DropState {
  columns: string[];
}

registerApplier<DropState>('drop', {
  apply: (s, table) => ({ ...table, columns: table.columns.filter((c) => !s.columns.includes(c.name)) }),
  describe: (s) => `drop ${s.columns.join(', ')}`,
  inputs: () => [],
  refit: (s) => s,
});

export interface PolynomialState {
  columns: string[];
  degree: number;
  interactionOnly: boolean;
}

/** Index tuples of the new terms (degree ≥ 2), in a fixed order. */
export function polynomialTerms(n: number, degree: number, interactionOnly: boolean): number[][] {
  const terms: number[][] = [];
  const extend = (term: number[], start: number) => {
    if (term.length >= 2) terms.push(term);
    if (term.length === degree) return;
    for (let i = interactionOnly ? start + 1 : start; i < n; i++) extend([...term, i], i);
  };
  for (let i = 0; i < n; i++) extend([i], i);
  return terms.sort((a, b) => a.length - b.length);
}

export function termName(columns: string[], term: number[]): string {
  const powers = new Map<number, number>();
  for (const i of term) powers.set(i, (powers.get(i) ?? 0) + 1);
  return [...powers].map(([i, p]) => (p === 1 ? columns[i] : `${columns[i]}^${p}`)).join('*');
}

registerApplier<PolynomialState>('polynomial', {
  apply(s, table) {
    const inputs = s.columns.map((name) => numericColumn(table, name, 'polynomial terms').values);
    const added: Column[] = polynomialTerms(s.columns.length, s.degree, s.interactionOnly).map((term) => {
      const values = new Float64Array(table.rowCount);
      for (let r = 0; r < table.rowCount; r++) {
        let product = 1;
        for (const i of term) product *= inputs[i][r];
        values[r] = product;
      }
      return { name: termName(s.columns, term), dtype: 'number', values };
    });
    for (const c of added) if (findColumn(table, c.name)) throw new DataError(`A column named "${c.name}" already exists`);
    return { ...table, columns: [...table.columns, ...added] };
  },
  describe: (s) => `${s.interactionOnly ? 'interaction' : 'polynomial'} terms of degree ≤ ${s.degree} over ${s.columns.length} columns`,
  inputs: (s) => s.columns,
  refit: (s) => s,
});

export type PowerMethod = 'log1p' | 'log' | 'sqrt' | 'square' | 'power';
export interface PowerState {
  columns: string[];
  method: PowerMethod;
  exponent: number;
}

export function powerFunction(method: PowerMethod, exponent: number): (v: number) => number {
  switch (method) {
    case 'log1p':
      return (v) => (v > -1 ? Math.log1p(v) : NaN);
    case 'log':
      return (v) => (v > 0 ? Math.log(v) : NaN);
    case 'sqrt':
      return (v) => (v >= 0 ? Math.sqrt(v) : NaN);
    case 'square':
      return (v) => v * v;
    case 'power':
      return (v) => Math.pow(v, exponent);
  }
}

/** The smallest value the method accepts (values at or below it have no result). */
export function powerDomain(method: PowerMethod): { min: number; inclusive: boolean } | null {
  if (method === 'log') return { min: 0, inclusive: false };
  if (method === 'log1p') return { min: -1, inclusive: false };
  if (method === 'sqrt') return { min: 0, inclusive: true };
  return null;
}

registerApplier<PowerState>('power', {
  apply(s, table, notes) {
    const f = powerFunction(s.method, s.exponent);
    let out = table;
    for (const name of s.columns) {
      const column = numericColumn(out, name, `${s.method}`);
      let invalid = 0;
      const values = column.values.map((v) => {
        const y = f(v);
        if (Number.isNaN(y) && !Number.isNaN(v)) invalid++;
        return y;
      });
      if (invalid > 0) notes.push(`Column "${name}": ${invalid} value(s) outside the domain of ${s.method} became missing.`);
      out = replaceColumns(out, [name], [{ name, dtype: 'number', values }]);
    }
    return out;
  },
  describe: (s) => `${s.method === 'power' ? `power ${s.exponent}` : s.method} of ${s.columns.join(', ')}`,
  inputs: (s) => s.columns,
  refit: (s) => s,
});

export interface BinState {
  columns: string[];
  strategy: 'uniform' | 'quantile';
  /** Per column, the inner edges: bin i holds values in [edges[i-1], edges[i]). */
  edges: number[][];
}

export function fitBins(table: Table, rows: ArrayLike<number>, columns: string[], bins: number, strategy: 'uniform' | 'quantile'): BinState {
  const edges = columns.map((name) => {
    const sorted = sortedCopy(presentValues(numericColumn(table, name, 'binning'), rows));
    if (sorted.length === 0) throw new DataError(`Column "${name}" has no values on the training rows: cannot place bin edges.`);
    const lo = sorted[0];
    const hi = sorted[sorted.length - 1];
    const inner: number[] = [];
    for (let i = 1; i < bins; i++) inner.push(strategy === 'uniform' ? lo + ((hi - lo) * i) / bins : quantile(sorted, i / bins));
    // Repeated quantiles (many equal values) would make empty bins.
    return [...new Set(inner)];
  });
  return { columns, strategy, edges };
}

registerApplier<BinState>('bin', {
  apply(s, table) {
    let out = table;
    s.columns.forEach((name, j) => {
      const edges = s.edges[j];
      const values = numericColumn(out, name, 'binning').values.map((v) => {
        if (Number.isNaN(v)) return NaN;
        let bin = 0;
        while (bin < edges.length && v >= edges[bin]) bin++;
        return bin;
      });
      out = replaceColumns(out, [name], [{ name, dtype: 'number', values }]);
    });
    return out;
  },
  describe: (s) => `${s.strategy} bins: ${s.columns.map((c, i) => `${c} (${s.edges[i].length + 1}: ${s.edges[i].map((e) => round(e, 3)).join(' | ')})`).join(', ')}`,
  inputs: (s) => s.columns,
  // Per column, as many bins as it kept (repeated quantile edges were merged when first fitted).
  refit: (s, table, rows) => ({ ...s, edges: s.columns.map((name, j) => fitBins(table, rows, [name], Math.max(2, s.edges[j].length + 1), s.strategy).edges[0]) }),
});
