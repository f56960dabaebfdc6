/**
 * Run records on the command line: `run --record <dir>` writes each run's record (the same
 * record the app keeps in its run history) as `<dir>/<run id>.json`, and
 * `pipeline-studio runs <dir> [--compare <id> <id>…] [--json]` lists or compares them.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { alignCurves, compareRuns, formatValue, hasChanges, metricColumns, metricValue, trainingCurves, type RunComparison } from '../engine/run-compare';
import { buildRunRecord, runStatus, upgradeRunRecord, type BuildRunRecordInput, type RunRecord } from '../engine/run-record';
import { createRegistry } from '../nodes';
import { textTable } from './format';
import { commandArgs, withUsageErrors } from './args';
import { type CliIo, EXIT_OK, UsageError } from './io';
import { errorMessage } from '../engine/errors';

export const RUNS_USAGE = `Usage: pipeline-studio runs <dir> [options]

Lists the run records in <dir> (written by: pipeline-studio run <graph.json> --record <dir>),
newest first, with their metrics.

Options:
  --compare <id> <id>…   compare two or more runs (ids or unique id prefixes): metrics side
                         by side with the difference to the first, final training numbers,
                         params that changed node by node, data that changed
  --json                 print JSON (the records, or the comparison) on stdout
  -h, --help             show this help

Exit codes: 0 ok, 2 bad arguments, an unreadable directory or an unknown run id.`;

/** Writes the record of a finished run as `<dir>/<run id>.json`; returns the file's path. */
export async function writeRunRecord(dir: string, input: BuildRunRecordInput): Promise<string> {
  const record = buildRunRecord(input);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${record.id.replace(/[^a-zA-Z0-9._-]+/g, '_')}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

function isRecordLike(value: unknown): value is Partial<RunRecord> & Pick<RunRecord, 'id' | 'graphId' | 'startedAt'> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.graphId === 'string' && typeof v.startedAt === 'number' && typeof v.nodes === 'object' && v.nodes !== null;
}

/** Every run record in `dir`, newest first; files that are not run records are reported, not fatal. */
export async function readRunRecords(dir: string): Promise<{ runs: RunRecord[]; skipped: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`Cannot read the run directory ${dir}: ${code === 'ENOENT' ? 'no such directory' : errorMessage(error)}`);
  }
  const runs: RunRecord[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
      if (isRecordLike(parsed)) runs.push(upgradeRunRecord(parsed));
      else skipped.push(`${name}: not a run record`);
    } catch (error) {
      skipped.push(`${name}: ${errorMessage(error)}`);
    }
  }
  runs.sort((a, b) => b.startedAt - a.startedAt);
  return { runs, skipped };
}

function findRun(runs: readonly RunRecord[], id: string): RunRecord {
  const exact = runs.find((r) => r.id === id);
  if (exact) return exact;
  const matches = runs.filter((r) => r.id.startsWith(id));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`--compare ${id}: ${matches.length} runs start with it (${matches.map((r) => r.id).join(', ')})`);
  throw new UsageError(`--compare ${id}: no run with that id (runs: ${runs.map((r) => r.id).join(', ') || 'none'})`);
}

function number(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}

function signed(value: number | null): string {
  if (value === null) return '';
  return `${value > 0 ? '+' : ''}${number(value)}`;
}

function runsTable(runs: readonly RunRecord[]): string {
  const columns = metricColumns(runs);
  const header = ['run', 'started', 'graph', 'status', 'backend', 'time', ...columns.map((c) => c.label), 'label'];
  const rows = runs.map((run) => [
    run.id,
    new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 19),
    run.graphName || run.graphId,
    runStatus(run),
    run.backend ?? '',
    `${run.ms} ms`,
    ...columns.map((c) => {
      const cv = run.cv[c.key];
      return cv ? `${number(cv.mean)} ± ${number(cv.sd)}` : number(metricValue(run, c.key));
    }),
    `${run.starred ? '★ ' : ''}${run.label}`,
  ]);
  return textTable(header, rows);
}

function comparisonText(comparison: RunComparison): string {
  const { runs } = comparison;
  const parts: string[] = [];
  const header = ['metric', ...runs.map((r, i) => (i === 0 ? r.id : `${r.id} (Δ)`))];
  const rows = comparison.metrics.map((m) => [
    m.label,
    ...m.values.map((value, i) => {
      const cv = m.cv[i];
      const text = cv ? `${number(cv.mean)} ± ${number(cv.sd)}` : number(value);
      return i === 0 || m.deltas[i] === null ? text : `${text} (${signed(m.deltas[i])})`;
    }),
  ]);
  parts.push(rows.length ? textTable(header, rows) : 'No metrics recorded in these runs.');

  const curve = comparison.curveMetrics[0];
  if (curve) {
    const series = trainingCurves(runs, curve);
    const lines = series.map((s) => {
      const last = s.points.at(-1)!;
      return `  ${s.runId} ${s.nodeId}: ${s.points.length} epochs, last ${curve} ${number(last[1])}`;
    });
    parts.push(`Training (${curve}):\n${lines.join('\n')}`);
    // Keep the shared axis honest: epochs where any run has a value.
    parts.push(`  epochs on the shared axis: ${alignCurves(series)[0].length}`);
  }

  for (const diff of comparison.diffs) {
    const lines: string[] = [`Changes from ${diff.baselineId} to ${diff.runId}:`];
    if (!diff.comparable) lines.push('  (one of the runs was recorded without its graph: params cannot be compared)');
    if (diff.seed) lines.push(`  graph seed: ${formatValue(diff.seed.before)} → ${formatValue(diff.seed.after)}`);
    for (const node of diff.nodes) {
      if (node.change !== 'changed') {
        lines.push(`  ${node.nodeId} (${node.type}): ${node.change}`);
        continue;
      }
      if (node.typeBefore) lines.push(`  ${node.nodeId}: type ${node.typeBefore} → ${node.type}`);
      for (const p of node.params) lines.push(`  ${node.nodeId}.${p.param}: ${formatValue(p.before)} → ${formatValue(p.after)}`);
    }
    for (const e of diff.edgesAdded) lines.push(`  + edge ${e}`);
    for (const e of diff.edgesRemoved) lines.push(`  - edge ${e}`);
    for (const d of diff.data) lines.push(`  DATA CHANGED ${d.nodeId}${d.name ? ` (${d.name})` : ''}: ${d.before?.slice(0, 12) ?? 'none'} → ${d.after?.slice(0, 12) ?? 'none'}`);
    if (!hasChanges(diff) && diff.comparable) lines.push('  no change in params, wiring, seed or data');
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}

export async function runsCommand(argv: string[], io: CliIo): Promise<number> {
  const args = commandArgs(argv, { compare: { type: 'boolean' }, json: { type: 'boolean' } }, RUNS_USAGE, io);
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  return withUsageErrors(io, async () => {
    const [dir, ...ids] = positionals;
    if (dir === undefined) throw new UsageError('Missing the run directory');
    if (!values.compare && ids.length > 0) throw new UsageError(`Unexpected argument${ids.length > 1 ? 's' : ''}: ${ids.join(' ')} (to compare runs: --compare <id> <id>)`);
    if (values.compare && ids.length < 2) throw new UsageError('--compare needs two or more run ids');
    const { runs, skipped } = await readRunRecords(resolve(io.cwd, dir));
    for (const line of skipped) io.stderr(`warning: skipped ${line}\n`);
    if (!values.compare) {
      if (values.json) io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      else io.stdout(runs.length ? `${runsTable(runs)}\n` : `No run records in ${dir}.\n`);
      return EXIT_OK;
    }
    const chosen = ids.map((id) => findRun(runs, id));
    const registry = createRegistry();
    const comparison = compareRuns(chosen, (type) => registry.get(type));
    if (values.json) {
      const { runs: compared, ...rest } = comparison;
      io.stdout(`${JSON.stringify({ runs: compared.map((r) => r.id), ...rest }, null, 2)}\n`);
    } else {
      io.stdout(`${comparisonText(comparison)}\n`);
    }
    return EXIT_OK;
  });
}
