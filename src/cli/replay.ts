/**
 * `pipeline-studio replay <url-or-zip> --data <csv>`: sends a data file's rows, one request
 * each, to a prediction endpoint at a steady rate, optionally shifted, so that its monitoring
 * has traffic to judge. Given a model .zip instead of a URL, it serves the model itself on
 * 127.0.0.1 for the duration (the same server as `serve`) and reports the drift at the end.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseData } from '../data/parse';
import { applyShifts, describeShift, parseShift, type Partition, partitionRows, replay, type ReplayProgress, type Shift, tableRecords } from '../serving/replay';
import { openModelZip, readModelZip, type RunningServer, startServer, UsageError } from './serve';

export const REPLAY_USAGE = `Usage: pipeline-studio replay <url-or-model.zip> --data <file.csv> [options]

Sends every row of the data file as one POST <url>/predict request. <url> is a server's
base URL (pipeline-studio serve: http://127.0.0.1:8080); a model .zip is served on
127.0.0.1 for the duration. The target column (from GET <url>/schema) is left out.

Options:
  --data <file>        rows to send (CSV, TSV, JSON or JSON lines)
  --rate <n>           records per second (default 50)
  --shift <spec>       change the rows first; repeatable: col=+2std (k standard deviations),
                       col=+3 (add), col=a>b (swap a category), col=value (set every row)
  --partition <p>      all, train, validation or test rows of a seeded 70/15/15 split (default all)
  --seed <n>           seed of that split (default 1)
  --limit <n>          send at most n rows
  --backend <name>     wasm or cpu, when serving a .zip (default wasm)
  --json               print the summary as JSON
  -h, --help           show this help`;

export interface ReplayIo {
  out(line: string): void;
  err(line: string): void;
}

const processIo: ReplayIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

interface ReplayArgs {
  target: string;
  data: string;
  rate: number;
  shifts: Shift[];
  partition: Partition;
  seed: number;
  limit?: number;
  backend: 'wasm' | 'cpu';
  json: boolean;
}

export function parseReplayArgs(argv: string[]): ReplayArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        rate: { type: 'string' },
        shift: { type: 'string', multiple: true },
        partition: { type: 'string' },
        seed: { type: 'string' },
        limit: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'where to? give a server URL or a model .zip' : `one target at a time (got ${positionals.join(', ')})`);
  if (!values.data) throw new UsageError('--data <file> is required: the rows to send');
  const number = (flag: string, raw: string | undefined, fallback: number, min: number, integer = false) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) throw new UsageError(`${flag} needs a ${integer ? 'whole ' : ''}number ≥ ${min} (got ${JSON.stringify(raw)})`);
    return value;
  };
  const partition = values.partition ?? 'all';
  if (!['all', 'train', 'validation', 'test'].includes(partition)) throw new UsageError(`--partition must be all, train, validation or test (got ${JSON.stringify(partition)})`);
  const backend = values.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu (got ${JSON.stringify(backend)})`);
  let shifts: Shift[];
  try {
    shifts = (values.shift ?? []).map(parseShift);
  } catch (error) {
    throw new UsageError(`--shift: ${(error as Error).message}`);
  }
  return {
    target: positionals[0],
    data: values.data,
    rate: number('--rate', values.rate, 50, 0.1),
    shifts,
    partition: partition as Partition,
    seed: number('--seed', values.seed, 1, 0, true),
    limit: values.limit === undefined ? undefined : number('--limit', values.limit, 0, 1, true),
    backend,
    json: values.json ?? false,
  };
}

function baseUrl(target: string): string {
  return target.replace(/\/+$/, '').replace(/\/predict$/, '');
}

interface DriftSummary {
  status: string;
  driftingSince: number | null;
  features: { name: string; status: string; psi: number | null }[];
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

/** `pipeline-studio replay …`: returns the exit code (0 all answered 2xx, 1 failures, 2 usage). */
export async function replayMain(argv: string[], io: ReplayIo = processIo): Promise<number> {
  let args: ReplayArgs;
  try {
    const parsed = parseReplayArgs(argv);
    if (parsed === 'help') {
      io.out(REPLAY_USAGE);
      return 0;
    }
    args = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`replay: ${error.message}\n\n${REPLAY_USAGE}`);
    return 2;
  }

  let server: RunningServer | null = null;
  let dispose = () => {};
  try {
    let base: string;
    if (/^https?:\/\//i.test(args.target)) base = baseUrl(args.target);
    else {
      const opened = await openModelZip(await readModelZip(args.target), args.backend);
      dispose = opened.dispose;
      server = await startServer(opened.model, { port: 0, host: '127.0.0.1' });
      base = server.url;
      io.out(`Serving ${opened.model.name} on ${base} (${opened.backend.name}) for the replay`);
    }

    const schema = (await getJson(`${base}/schema`)) as { inputs: { name: string }[]; target: { name: string } };
    const inputs = new Set(schema.inputs.map((c) => c.name));
    const bytes = new Uint8Array(await readFile(args.data).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${args.data}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    }));
    const { table } = await parseData(bytes, 'auto', args.data);
    let rows = partitionRows(table.rowCount, args.partition, args.seed);
    if (args.limit !== undefined) rows = rows.slice(0, args.limit);
    const exclude = table.columns.map((c) => c.name).filter((name) => !inputs.has(name));
    const records = applyShifts(tableRecords(table, rows, exclude), args.shifts);
    const shifted = args.shifts.length > 0 ? `, shifted: ${args.shifts.map(describeShift).join('; ')}` : '';
    io.out(`Sending ${records.length} records to ${base}/predict at ${args.rate}/s${shifted}`);

    let reported = 0;
    const result: ReplayProgress = await replay(records, {
      rate: args.rate,
      send: async (record) => {
        const response = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record) });
        const body = await response.text();
        return { status: response.status, body };
      },
      onProgress: (p) => {
        if (args.json || p.sent < reported + Math.max(1, Math.ceil(p.total / 10))) return;
        reported = p.sent;
        io.out(`  ${p.sent}/${p.total} sent, ${p.failed} failed`);
      },
    });

    let drift: DriftSummary | null = null;
    try {
      const answer = (await getJson(`${base}/drift`)) as { status: string; driftingSince: number | null; latest?: { features: { name: string; status: string; psi: number | null }[] } };
      drift = { status: answer.status, driftingSince: answer.driftingSince, features: (answer.latest?.features ?? []).map((f) => ({ name: f.name, status: f.status, psi: f.psi })) };
    } catch {
      // A server without /drift: the summary just has no drift line.
    }
    if (args.json) io.out(JSON.stringify({ ...result, drift }, null, 2));
    else {
      io.out(`Sent ${result.sent}: ${result.ok} answered 2xx, ${result.failed} failed (${Object.entries(result.statuses).map(([s, n]) => `${s}×${n}`).join(', ')})`);
      for (const error of result.errors) io.out(`  ${error}`);
      if (drift) {
        const since = drift.driftingSince !== null ? ` since ${new Date(drift.driftingSince).toISOString()}` : '';
        io.out(`Drift: ${drift.status}${since}`);
        for (const f of drift.features) io.out(`  ${f.name.padEnd(20)} ${f.status.padEnd(8)} PSI ${f.psi === null ? '–' : f.psi.toFixed(3)}`);
      }
    }
    return result.failed > 0 ? 1 : 0;
  } catch (error) {
    io.err(`replay: ${(error as Error).message}`);
    return 1;
  } finally {
    await server?.close();
    dispose();
  }
}
