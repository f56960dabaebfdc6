/** Column statistics and output-panel views ('table' + 'stats') for any table or dataset. */
import type { OutputView } from './views';
import { seededRandom } from './random';
import { displayValue, isMissing } from './table';
import { describeTransform } from './transforms';
import { quantile } from './transforms/common';
import type { Column, Dataset, Table } from './types';

type StatsView = Extract<OutputView, { kind: 'stats' }>;
export type ColumnStats = StatsView['columns'][number];

const HISTOGRAM_BINS = 10;
const TOP_VALUES = 5;
/** Quartiles of a bigger table come from this many rows, picked with a fixed seed (the same sample every time). */
export const QUANTILE_SAMPLE_ROWS = 10_000;

/** Row indexes the quartiles are read from: every row of a small table, else a seeded sample of QUANTILE_SAMPLE_ROWS. */
export function quantileRows(rowCount: number): Uint32Array {
  if (rowCount <= QUANTILE_SAMPLE_ROWS) return Uint32Array.from({ length: rowCount }, (_, i) => i);
  // Floyd's algorithm: distinct rows, uniformly, with a fixed-seed generator.
  const random = seededRandom(0x9e3779b9);
  const picked = new Set<number>();
  for (let j = rowCount - QUANTILE_SAMPLE_ROWS; j < rowCount; j++) {
    const r = Math.floor(random() * (j + 1));
    picked.add(picked.has(r) ? j : r);
  }
  return Uint32Array.from(picked).sort();
}

/** "all 344 rows" or "a 10,000-row sample": said next to the quartiles. */
export function quantileSource(rowCount: number): string {
  return rowCount <= QUANTILE_SAMPLE_ROWS ? `all ${rowCount.toLocaleString('en')} rows` : `a ${QUANTILE_SAMPLE_ROWS.toLocaleString('en')}-row sample`;
}

/** Linear-interpolated percentiles (as numpy's default) of the present values at `rows`. */
function quartilesOf(values: Float64Array, rows: Uint32Array): [number, number, number] | undefined {
  const present: number[] = [];
  for (const r of rows) if (!Number.isNaN(values[r])) present.push(values[r]);
  if (present.length === 0) return undefined;
  const sorted = Float64Array.from(present).sort();
  return [quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)];
}

function numericStats(column: Column & { values: Float64Array }): Partial<ColumnStats> {
  const values = column.values;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return {};
  const mean = sum / count;
  let squares = 0;
  for (const v of values) if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  const std = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  const distinct = new Set<number>();
  for (const v of values) {
    if (!Number.isNaN(v)) distinct.add(v);
    if (distinct.size > 10_000) break;
  }
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    counts[Math.min(bins - 1, width > 0 ? Math.floor((v - min) / width) : 0)]++;
  }
  const label = (x: number) => (Math.abs(x) >= 1000 || Number.isInteger(x) ? String(Math.round(x * 100) / 100) : x.toPrecision(3));
  const labels = counts.map((_, i) => `${label(min + i * width)}–${label(i === bins - 1 ? max : min + (i + 1) * width)}`);
  return { mean, std, min, max, distinct: distinct.size, histogram: { labels, counts }, quartiles: quartilesOf(values, quantileRows(values.length)) };
}

function labelStats(counts: Map<string, number>): Partial<ColumnStats> {
  const sorted = [...counts.entries()].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = sorted.slice(0, TOP_VALUES).map(([value, count]) => ({ value, count }));
  const bars = sorted.slice(0, 20);
  return { distinct: counts.size, top, histogram: { labels: bars.map(([l]) => l), counts: bars.map(([, c]) => c) } };
}

export function columnStats(column: Column): ColumnStats {
  const rowCount = column.dtype === 'category' ? column.codes.length : column.values.length;
  let missing = 0;
  for (let i = 0; i < rowCount; i++) if (isMissing(column, i)) missing++;
  const base: ColumnStats = { name: column.name, dtype: column.dtype, count: rowCount - missing, missing };
  if (column.dtype === 'category') {
    // Counted by code: a million-row column makes no label strings.
    const byCode = new Float64Array(column.categories.length);
    for (const code of column.codes) if (code >= 0) byCode[code]++;
    return { ...base, ...labelStats(new Map(column.categories.map((label, code) => [label, byCode[code]]))) };
  }
  if (column.dtype === 'text') {
    const counts = new Map<string, number>();
    for (const label of column.values) if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
    return { ...base, ...labelStats(counts) };
  }
  return { ...base, ...numericStats(column) };
}

/** A 'table' view of the first `maxRows` rows and a 'stats' view of every column. */
export function describeTable(table: Table, maxRows = 100, title = 'Table'): OutputView[] {
  const shown = Math.min(maxRows, table.rowCount);
  const rows: (string | number | null)[][] = [];
  for (let r = 0; r < shown; r++) rows.push(table.columns.map((c) => displayValue(c, r)));
  const views: OutputView[] = [
    { kind: 'table', title: `${title} (${table.rowCount} rows × ${table.columns.length} cols)`, rowCount: table.rowCount, columns: table.columns.map((c) => ({ name: c.name, dtype: c.dtype })), rows },
    { kind: 'stats', title: 'Column statistics', columns: table.columns.map(columnStats), quantilesFrom: quantileSource(table.rowCount) },
  ];
  if (table.warnings && table.warnings.length > 0) views.push({ kind: 'text', title: 'Import warnings', text: table.warnings.join('\n') });
  return views;
}

/** Like describeTable, plus roles, partition sizes and the fitted transform chain. */
export function describeDataset(dataset: Dataset, maxRows = 100): OutputView[] {
  const [tableView, ...rest] = describeTable(dataset.table, maxRows, 'Dataset');
  if (tableView.kind === 'table') {
    const features = new Set(dataset.roles.features);
    tableView.columns = tableView.columns.map((c) => ({
      ...c,
      role: c.name === dataset.roles.target ? 'target' : features.has(c.name) ? 'feature' : undefined,
    }));
    if (dataset.partitions) {
      tableView.partitions = { train: dataset.partitions.train.length, validation: dataset.partitions.validation.length, test: dataset.partitions.test.length };
    }
  }
  const views: OutputView[] = [tableView, ...rest];
  if (dataset.transforms.length > 0) {
    views.push({
      kind: 'transforms',
      title: 'Fitted transform chain',
      steps: dataset.transforms.map((t) => ({ kind: t.kind, fittedOn: t.fittedOn, summary: describeTransform(t) })),
    });
  }
  return views;
}
