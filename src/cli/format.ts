/** Text output of `pipeline-studio run`: progress lines (stderr) and the summary table. */
import type { RunEvent } from '../engine/events';

export function clock(date = new Date()): string {
  return date.toTimeString().slice(0, 8);
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}

/** `[12:00:01] train  running 40% epoch 8/20 loss 0.31` */
export function progressLine(nodeId: string, width: number, event: Extract<RunEvent, { type: 'node-progress' }>, at = new Date()): string {
  const parts = [`[${clock(at)}]`, nodeId.padEnd(width), 'running'];
  if (event.fraction !== undefined) parts.push(`${Math.round(event.fraction * 100)}%`);
  if (event.message) parts.push(event.message);
  if (event.metrics) {
    for (const [name, value] of Object.entries(event.metrics)) {
      // Skip numbers the message already states ("epoch 8/20 loss 0.31").
      if (event.message && new RegExp(`(^|[^\\w])${name.replace(/[^\w]/g, '')}([^\\w]|$)`).test(event.message)) continue;
      parts.push(`${name} ${formatNumber(value)}`);
    }
  }
  return parts.join(' ');
}

/**
 * Progress lines for a run's log: at most one per node per second (the last one, at 100 %,
 * always) and never the same line twice, so long trainings stay readable. Returns the line
 * to print, or undefined to stay quiet.
 */
export function progressThrottle(width: number): (event: Extract<RunEvent, { type: 'node-progress' }>) => string | undefined {
  const last = new Map<string, { at: number; line: string }>();
  return (event) => {
    const now = Date.now();
    const previous = last.get(event.nodeId);
    const line = progressLine(event.nodeId, width, event);
    // Compared without the clock ("[hh:mm:ss] "): a line repeated a second later is still the same line.
    if (previous && (previous.line.slice(10) === line.slice(10) || (now - previous.at < 1000 && event.fraction !== 1))) return undefined;
    last.set(event.nodeId, { at: now, line });
    return line;
  };
}

export function statusLine(nodeId: string, width: number, status: string, detail = '', at = new Date()): string {
  return [`[${clock(at)}]`, nodeId.padEnd(width), status, detail].filter(Boolean).join(' ').trimEnd();
}

/** A plain text table with left-aligned columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
