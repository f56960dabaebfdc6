/**
 * Figures that run teammates' stand-alone benchmarks in child processes (their own memory
 * and event loop): B's ingest (bench/ingest.ts) and F's serve load test (bench/serve-load.ts).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Figure } from '../lib/report';
import { ms, ratio } from '../lib/stats';
import { REPO } from './node';

function runTsx(script: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, script), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface IngestLine {
  mode: string;
  ms: number;
  rows: number;
  peakRssMB: number;
  heapAfterMB: number;
}

/** Parses the lines bench/ingest.ts prints (one per mode). */
export function parseIngestOutput(stdout: string): { csv: string; runs: IngestLine[] } {
  const csv = /^CSV: (.*)$/m.exec(stdout)?.[1] ?? '';
  const runs: IngestLine[] = [];
  for (const match of stdout.matchAll(/^(.+?)\s+(\d+) ms\s+rows (\d+)\s+peak RSS (\d+) MB\s+heap after (\d+) MB/gm)) {
    runs.push({ mode: match[1], ms: Number(match[2]), rows: Number(match[3]), peakRssMB: Number(match[4]), heapAfterMB: Number(match[5]) });
  }
  return { csv, runs };
}

export async function ingestFigure(figure: Figure, rows: number, timeoutMs: number): Promise<void> {
  const out = await runTsx('bench/ingest.ts', [String(rows)], timeoutMs);
  if (out.code !== 0) throw new Error(`bench/ingest.ts exited with ${out.code}: ${out.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  const { csv, runs } = parseIngestOutput(out.stdout);
  const ours = runs.find((r) => r.mode === 'ours (bytes)');
  const papa = runs.find((r) => r.mode === 'papaparse-alone');
  if (!ours || !papa) throw new Error(`unexpected output from bench/ingest.ts: ${out.stdout.slice(0, 300)}`);
  figure.data = { ...(figure.data as object), node: { csv, runs } };
  figure.rows.push({
    measure: `Node: parse ${csv} to typed columns vs PapaParse alone (row arrays)`,
    product: ms(ours.ms),
    baseline: ms(papa.ms),
    ratio: ratio(ours.ms / papa.ms),
    note: `bench/ingest.ts; ${ours.rows.toLocaleString('en')} rows each`,
  });
  figure.rows.push({
    measure: 'Node: peak RSS, same parse',
    product: `${ours.peakRssMB} MB`,
    baseline: `${papa.peakRssMB} MB`,
    ratio: ratio(ours.peakRssMB / papa.peakRssMB),
    note: `heap kept after parse: ${ours.heapAfterMB} MB (typed columns) vs ${papa.heapAfterMB} MB (string arrays)`,
  });
}

interface ServeSummary {
  backend: string;
  connections: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  serverCounted200: number;
  driftStatus: string;
}

/** The pretty-printed JSON object serve-load prints last. */
export function parseServeOutput(stdout: string): ServeSummary {
  const start = stdout.lastIndexOf('\n{');
  const text = start >= 0 ? stdout.slice(start + 1) : stdout.trim().startsWith('{') ? stdout.trim() : '';
  if (!text) throw new Error(`no JSON summary in serve-load output: ${stdout.slice(-300)}`);
  return JSON.parse(text) as ServeSummary;
}

export async function servingFigure(figure: Figure, seconds: number, timeoutMs: number): Promise<void> {
  const out = await runTsx('bench/serve-load.ts', ['--duration', String(seconds)], timeoutMs);
  const summary = parseServeOutput(out.stdout);
  figure.data = { summary, exitCode: out.code };
  const failures = out.stderr.split('\n').filter((l) => l.startsWith('FAIL'));
  figure.rows.push({
    measure: `CLI serve, ${summary.connections} keep-alive connections, 1 record/request, ${summary.seconds} s`,
    product: `${summary.requestsPerSecond} req/s`,
    note: `${summary.requests} requests, ${summary.errors} errors, server counted ${summary.serverCounted200} OK; ${summary.backend}; drift ${summary.driftStatus}${failures.length ? `; ${failures.join('; ')}` : ''}`,
  });
  figure.rows.push({
    measure: 'latency p50 / p99 (client side)',
    product: `${summary.latencyMs.p50.toFixed(1)} / ${summary.latencyMs.p99.toFixed(1)} ms`,
    note: `p90 ${summary.latencyMs.p90.toFixed(1)} ms, max ${summary.latencyMs.max.toFixed(1)} ms`,
  });
}
