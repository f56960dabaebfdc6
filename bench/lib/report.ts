/** The bench report: figures made of rows, each figure isolated so one failure is one error row. */
import { ms } from './stats';

/** A row's figures as numbers, for comparing runs (results.json). Times are in ms. */
export interface RowNumbers {
  value: number;
  unit: string;
  /** What the value is compared with (a name, not a number). */
  baseline?: string;
  baselineValue?: number;
  /** value ÷ baselineValue. */
  ratio?: number;
}

export interface Row {
  /** What was measured. */
  measure: string;
  /** The same figures as numbers (filled from the display strings when a figure does not give them). */
  numbers?: RowNumbers;
  /** Pipeline Studio's number. */
  product: string;
  /** The baseline it is compared with, when there is one. */
  baseline?: string;
  /** product ÷ baseline (time: >1 means slower than the baseline). */
  ratio?: string;
  note?: string;
}

export interface Figure {
  id: number;
  title: string;
  rows: Row[];
  /** Raw numbers behind the rows, for results.json. */
  data?: unknown;
  error?: string;
  seconds: number;
}

export async function runFigure(id: number, title: string, timeoutMs: number, body: (figure: Figure) => Promise<void>): Promise<Figure> {
  const figure: Figure = { id, title, rows: [], seconds: 0 };
  const started = performance.now();
  process.stderr.write(`\n[bench] ${id}. ${title}…\n`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms(timeoutMs)}`)), timeoutMs);
    });
    await Promise.race([body(figure), timeout]);
  } catch (error) {
    figure.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
    figure.rows.push({ measure: 'ERROR', product: '–', note: figure.error });
    process.stderr.write(`[bench] ${id}. failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } finally {
    clearTimeout(timer);
  }
  figure.seconds = Math.round((performance.now() - started) / 100) / 10;
  process.stderr.write(`[bench] ${id}. done in ${figure.seconds} s\n`);
  return figure;
}

const HEADERS = ['#', 'measure', 'Pipeline Studio', 'baseline', 'ratio', 'notes'];

function cells(figures: Figure[]): string[][] {
  const lines: string[][] = [];
  for (const figure of figures) {
    figure.rows.forEach((row, i) =>
      lines.push([i === 0 ? `${figure.id}. ${figure.title}` : '', row.measure, row.product, row.baseline ?? '', row.ratio ?? '', row.note ?? '']),
    );
  }
  return lines;
}

export function textTable(figures: Figure[]): string {
  const lines = cells(figures);
  const widths = HEADERS.map((h, c) => Math.min(c === 5 ? 70 : 60, Math.max(h.length, ...lines.map((l) => l[c].length))));
  const format = (line: string[]) => line.map((cell, c) => cell.padEnd(widths[c])).join(' │ ').trimEnd();
  return [format(HEADERS), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...lines.map(format)].join('\n');
}

export function markdownTable(figures: Figure[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = cells(figures);
  return [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => ' --- ').join('|')}|`, ...lines.map((l) => `| ${l.map(escape).join(' | ')} |`)].join('\n');
}

/** A timed row: display strings and numbers from one pair of measurements. */
export function timeRow(measure: string, valueMs: number, baseline?: { name: string; ms: number }, note?: string): Row {
  return {
    measure,
    product: ms(valueMs),
    baseline: baseline ? `${ms(baseline.ms)} (${baseline.name})` : undefined,
    ratio: baseline ? `${(valueMs / baseline.ms).toFixed(2)}×` : undefined,
    note,
    numbers: {
      value: Math.round(valueMs),
      unit: 'ms',
      ...(baseline ? { baseline: baseline.name, baselineValue: Math.round(baseline.ms), ratio: Math.round((valueMs / baseline.ms) * 1000) / 1000 } : {}),
    },
  };
}

const UNIT_SCALE: Record<string, [string, number]> = { s: ['ms', 1000], ms: ['ms', 1], MB: ['MB', 1], KB: ['KB', 1], '×': ['×', 1] };

export function parseDisplay(text: string | undefined): { value: number; unit: string } | null {
  // "1436 ms", "p50 33.3 ms, p95 250.1 ms" (the first labelled number), "2.5 / 16.3 ms" (the unit after the last number).
  const match = /^\s*(?:p\d+\s+)?(-?[\d,]*\.?\d+)\s*(?:\/\s*-?[\d,]*\.?\d+\s*)*([^\s(,]*)/i.exec(text ?? '');
  if (!match) return null;
  const [unit, scale] = UNIT_SCALE[match[2]] ?? [match[2], 1];
  return { value: Math.round(Number(match[1].replace(/,/g, '')) * scale * 1e6) / 1e6, unit };
}

/** Rows that came with display strings only get their numbers parsed from them. */
export function withNumbers(figures: Figure[]): Figure[] {
  for (const figure of figures) {
    for (const row of figure.rows) {
      if (row.numbers) continue;
      const value = parseDisplay(row.product);
      if (!value) continue;
      const baseline = parseDisplay(row.baseline);
      const ratio = parseDisplay(row.ratio);
      row.numbers = {
        ...value,
        ...(row.baseline ? { baseline: row.baseline } : {}),
        ...(baseline && baseline.unit === value.unit ? { baselineValue: baseline.value } : {}),
        ...(ratio ? { ratio: ratio.value } : {}),
      };
    }
  }
  return figures;
}
