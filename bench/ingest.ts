/**
 * Ingest benchmark: a generated 1,000,000 × 10 CSV through our parser (`parseDelimited` on
 * the file's bytes, as the CLI reads it; and `parseDelimitedStream` on a disk-backed Blob,
 * as the browser reads a picked File) versus PapaParse alone (whole string → row arrays).
 * Each run happens in its own child process so peak RSS is measured separately.
 *
 *   npx tsx bench/ingest.ts [rows]          (default 1,000,000 rows)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { parseDelimited, parseDelimitedStream } from '../src/data/parse';
import { seededRandom } from '../src/data/random';

const COLUMNS = 10;

/** 8 numeric columns (some missing), a category and a boolean: typical tabular data. */
export function generateCsv(rows: number, seed = 1): string {
  const random = seededRandom(seed);
  const header = [...Array.from({ length: 8 }, (_, i) => `x${i}`), 'colour', 'flag'].join(',');
  const colours = ['red', 'green', 'blue', 'amber'];
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let j = 0; j < 8; j++) cells.push(random() < 0.01 ? '' : (random() * 1000 - 500).toFixed(3));
    cells.push(colours[Math.floor(random() * colours.length)], random() < 0.5 ? 'true' : 'false');
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

interface ChildResult {
  mode: string;
  ms: number;
  rows: number;
  maxRssMB: number;
  heapAfterMB: number;
  peakHeapSampledMB: number;
}

async function child(mode: string, file: string): Promise<void> {
  // The stream mode reads from disk like a picked File; the others start from the bytes in memory.
  const bytes = mode === 'stream' ? new Uint8Array(0) : new Uint8Array(readFileSync(file));
  const blob = mode === 'stream' ? await openAsBlob(file) : null;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const start = performance.now();
  let rows: number;
  let keepAlive: unknown;
  if (mode === 'ours') {
    const { table } = await parseDelimited(bytes, { maxBytes: 1024 * 1024 * 1024 });
    rows = table.rowCount;
    keepAlive = table;
  } else if (blob) {
    const { table } = await parseDelimitedStream(blob.stream(), { maxBytes: 1024 * 1024 * 1024, totalBytes: blob.size });
    rows = table.rowCount;
    keepAlive = table;
  } else {
    const text = new TextDecoder().decode(bytes);
    const result = Papa.parse<string[]>(text, { skipEmptyLines: true });
    rows = result.data.length - 1;
    keepAlive = result;
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  const heapAfter = process.memoryUsage().heapUsed;
  peakHeap = Math.max(peakHeap, heapAfter);
  const result: ChildResult = {
    mode,
    ms: Math.round(ms),
    rows,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapAfterMB: Math.round(heapAfter / 2 ** 20),
    peakHeapSampledMB: Math.round(peakHeap / 2 ** 20),
  };
  if (!keepAlive) throw new Error('nothing parsed');
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(mode: string, file: string): ChildResult {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, [...process.execArgv, '--max-old-space-size=6144', script, 'child', mode, file], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(process.argv[3], process.argv[4]);
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
  try {
    const file = join(dir, 'data.csv');
    const csv = generateCsv(rows);
    writeFileSync(file, csv);
    console.log(`CSV: ${rows.toLocaleString('en')} rows × ${COLUMNS} columns, ${(csv.length / 2 ** 20).toFixed(1)} MB`);
    const modes = { 'papaparse-alone': 'papa', 'ours (bytes)': 'ours', 'ours (stream)': 'stream' } as const;
    for (const [mode, childMode] of Object.entries(modes)) {
      const r = runChild(childMode, file);
      console.log(
        `${mode.padEnd(16)} ${String(r.ms).padStart(6)} ms   rows ${r.rows}   peak RSS ${r.maxRssMB} MB   heap after ${r.heapAfterMB} MB   peak heap (sampled) ${r.peakHeapSampledMB} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
