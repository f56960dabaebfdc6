/** Column statistics and output-panel views ('table' + 'stats') for any table or dataset. */
import type { OutputView } from '../runtime/protocol';
import { displayValue, isMissing } from './table';
import { describeTransform } from './transforms';
import type { Column, Dataset, Table } from './types';

type StatsView = Extract<OutputView, { kind: 'stats' }>;
export type ColumnStats = StatsView['columns'][number];

const HISTOGRAM_BINS = 10;
const TOP_VALUES = 5;

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
  return { mean, std, min, max, distinct: distinct.size, histogram: { labels, counts } };
}

function labelStats(labels: (string | null)[]): Partial<ColumnStats> {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
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
    return { ...base, ...labelStats(Array.from(column.codes, (c) => (c < 0 ? null : column.categories[c]))) };
  }
  if (column.dtype === 'text') return { ...base, ...labelStats(column.values) };
  return { ...base, ...numericStats(column) };
}

/** A 'table' view of the first `maxRows` rows and a 'stats' view of every column. */
export function describeTable(table: Table, maxRows = 100, title = 'Table'): OutputView[] {
  const shown = Math.min(maxRows, table.rowCount);
  const rows: (string | number | null)[][] = [];
  for (let r = 0; r < shown; r++) rows.push(table.columns.map((c) => displayValue(c, r)));
  const views: OutputView[] = [
    { kind: 'table', title: `${title} (${table.rowCount} rows × ${table.columns.length} cols)`, rowCount: table.rowCount, columns: table.columns.map((c) => ({ name: c.name, dtype: c.dtype })), rows },
    { kind: 'stats', title: 'Column statistics', columns: table.columns.map(columnStats) },
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
