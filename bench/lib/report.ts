/** The bench report: figures made of rows, each figure isolated so one failure is one error row. */
import { ms } from './stats';

export interface Row {
  /** What was measured. */
  measure: string;
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
