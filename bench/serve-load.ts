/**
 * Load benchmark for `pipeline-studio serve`.
 *
 * Trains a small penguins classifier (impute → one-hot → scale → MLP) on the bundled
 * sample, exports it as a model zip, serves that zip on 127.0.0.1 through the real CLI
 * entry (serveMain, wasm backend), and drives it from a second process with a bounded
 * keep-alive HTTP loop. Reports requests/s, latency percentiles and errors, and checks the
 * server's own /metrics agree with what the client saw.
 *
 *   npx tsx bench/serve-load.ts [--duration 30] [--connections 8] [--batch 1] [--max-requests 200000] [--backend wasm|cpu] [--no-batch]
 *
 * Loopback only; stops at the duration or the request cap, whichever comes first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tfjs from '@tensorflow/tfjs';
import { serveMain, type RunningServer } from '../src/cli/serve';
import { parseData } from '../src/data/parse';
import { applyTransforms, fitEncode, fitImpute, fitScale } from '../src/data/transforms';
import { columnSchema } from '../src/data/table';
import type { CategoryColumn, FittedTransform, ModelArtifact, Table } from '../src/data/types';
import { exportModelZip } from '../src/ml/zip';
import { initBackend } from '../src/runtime/backend';
import { nodeBackendPlatform } from '../src/runtime/backend-node';
import { parsePrometheusText } from '../src/serving/metrics';
import { buildReference } from '../src/serving/reference';

interface Settings {
  duration: number;
  connections: number;
  batch: number;
  maxRequests: number;
  backend: 'wasm' | 'cpu';
  batching: boolean;
}

function parseSettings(argv: string[]): Settings {
  const settings: Settings = { duration: 30, connections: 8, batch: 1, maxRequests: 200_000, backend: 'wasm', batching: true };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const n = Number(value);
    if (flag === '--no-batch') {
      settings.batching = false;
      i--;
    } else if (flag === '--backend' && (value === 'wasm' || value === 'cpu')) settings.backend = value;
    else if (flag === '--duration' && n > 0 && n <= 120) settings.duration = n;
    else if (flag === '--connections' && Number.isInteger(n) && n >= 1 && n <= 64) settings.connections = n;
    else if (flag === '--batch' && Number.isInteger(n) && n >= 1 && n <= 1000) settings.batch = n;
    else if (flag === '--max-requests' && Number.isInteger(n) && n >= 1 && n <= 1_000_000) settings.maxRequests = n;
    else throw new Error(`bad option ${flag} ${value ?? ''} (see the header of bench/serve-load.ts)`);
  }
  return settings;
}

const TARGET = 'Species';

/** Trains the benchmark model on the bundled penguins sample and returns its artifact. */
async function trainPenguins(table: Table, backend: string): Promise<ModelArtifact> {
  const rawSchema = table.columns.map(columnSchema);
  const rows = Array.from({ length: table.rowCount }, (_, i) => i);
  const features = table.columns.filter((c) => c.name !== TARGET);
  const numeric = features.filter((c) => c.dtype === 'number').map((c) => c.name);
  const categorical = features.filter((c) => c.dtype === 'category').map((c) => c.name);
  const step = (kind: string, state: object): FittedTransform => ({ kind, fittedOn: 'train', state: { ...state } });
  const transforms: FittedTransform[] = [];
  const featureTable: Table = { rowCount: table.rowCount, columns: features };
  transforms.push(step('impute', fitImpute(featureTable, rows, numeric, 'median', '')));
  transforms.push(step('impute', fitImpute(applyTransforms(transforms, featureTable), rows, categorical, 'most_frequent', '')));
  transforms.push(step('onehot', fitEncode(applyTransforms(transforms, featureTable), rows, categorical, 'onehot')));
  transforms.push(step('scale', fitScale(applyTransforms(transforms, featureTable), rows, numeric, 'standard')));
  const prepared = applyTransforms(transforms, featureTable);
  const featureNames = prepared.columns.map((c) => c.name);

  const target = table.columns.find((c) => c.name === TARGET) as CategoryColumn;
  const labelled = rows.filter((r) => target.codes[r] >= 0);
  const x = new Float32Array(labelled.length * featureNames.length);
  labelled.forEach((r, i) =>
    prepared.columns.forEach((column, j) => {
      if (column.dtype === 'category' || column.dtype === 'text') throw new Error(`feature ${column.name} is not numeric after the chain`);
      x[i * featureNames.length + j] = column.values[r];
    }),
  );
  const k = target.categories.length;
  const network = tfjs.sequential({
    layers: [
      tfjs.layers.dense({ units: 16, activation: 'relu', inputShape: [featureNames.length], kernelInitializer: tfjs.initializers.glorotUniform({ seed: 7 }) }),
      tfjs.layers.dense({ units: k, activation: 'softmax', kernelInitializer: tfjs.initializers.glorotUniform({ seed: 8 }) }),
    ],
  });
  network.compile({ optimizer: tfjs.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tfjs.tensor2d(x, [labelled.length, featureNames.length]);
  const ys = tfjs.oneHot(tfjs.tensor1d(Int32Array.from(labelled, (r) => target.codes[r]), 'int32'), k);
  const fit = await network.fit(xs, ys, { epochs: 40, batchSize: 32, shuffle: false, verbose: 0 });
  xs.dispose();
  ys.dispose();
  const accuracy = fit.history.acc?.at(-1) as number;

  let saved: tfjs.io.ModelArtifacts | null = null;
  await network.save(
    tfjs.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  network.dispose();
  const artifacts = saved as unknown as tfjs.io.ModelArtifacts;
  return {
    name: 'penguins-bench',
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData: artifacts.weightData as ArrayBuffer,
    transforms,
    rawSchema,
    featureNames,
    target: { name: TARGET, task: 'classification', classes: target.categories },
    spec: { family: 'mlp', hyper: { layers: [16], activation: 'relu' } },
    trainParams: { epochs: 40, batchSize: 32 },
    history: [],
    metrics: { trainAccuracy: accuracy },
    reference: buildReference(table, rows, rawSchema, { exclude: [TARGET] }),
    lineage: { createdAt: Date.now(), backend },
  };
}

/** Raw request records: the sample's complete rows, as a client would send them. */
function requestRecords(table: Table): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const record: Record<string, unknown> = {};
    let complete = true;
    for (const column of table.columns) {
      if (column.name === TARGET) continue;
      if (column.dtype === 'category') {
        if (column.codes[r] < 0) complete = false;
        else record[column.name] = column.categories[column.codes[r]];
      } else if (column.dtype === 'text') record[column.name] = column.values[r];
      else if (Number.isNaN(column.values[r])) complete = false;
      else record[column.name] = column.values[r];
    }
    if (complete) records.push(record);
  }
  return records;
}

/** The load client, run in its own Node process so it does not share the server's event loop. */
const CLIENT_SOURCE = String.raw`
import http from 'node:http';
import { readFileSync } from 'node:fs';
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bodies = [];
for (let i = 0; i < config.records.length; i += config.batch) {
  const slice = [];
  for (let j = 0; j < config.batch; j++) slice.push(config.records[(i + j) % config.records.length]);
  bodies.push(Buffer.from(JSON.stringify({ records: slice })));
}
const url = new URL(config.url + '/predict');
const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
const latencies = new Float64Array(config.maxRequests);
const statuses = {};
let sent = 0, done = 0, failures = 0, firstFailure = null;
const started = performance.now();
const deadline = started + config.duration * 1000;
function once(body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        latencies[done++] = performance.now() - t0;
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode !== 200 && !firstFailure) firstFailure = Buffer.concat(chunks).toString().slice(0, 300);
        resolve();
      });
    });
    req.on('error', (e) => { failures++; if (!firstFailure) firstFailure = String(e); resolve(); });
    req.end(body);
  });
}
async function loop() {
  while (performance.now() < deadline && sent < config.maxRequests) await once(bodies[sent++ % bodies.length]);
}
await Promise.all(Array.from({ length: config.connections }, loop));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
const sorted = Array.from(latencies.subarray(0, done)).sort((a, b) => a - b);
const pct = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
process.stdout.write(JSON.stringify({ requests: done, seconds: elapsed, statuses, failures, firstFailure,
  p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: sorted.at(-1) ?? NaN }));
`;

function runClient(directory: string, config: object): Promise<ClientResult> {
  const configPath = join(directory, 'client.json');
  const scriptPath = join(directory, 'client.mjs');
  writeFileSync(configPath, JSON.stringify(config));
  writeFileSync(scriptPath, CLIENT_SOURCE);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [scriptPath, configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`load client exited with ${code}`))));
  });
}

interface ClientResult {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  failures: number;
  firstFailure: string | null;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const directory = mkdtempSync(join(tmpdir(), 'serve-load-'));
  try {
    const info = await initBackend(tfjs, settings.backend, nodeBackendPlatform);
    const { table } = await parseData(readFileSync(join(root, 'public/samples/penguins.csv')), 'csv', 'penguins.csv');
    const trainStarted = performance.now();
    const artifact = await trainPenguins(table, info.name);
    console.log(`trained penguins MLP on ${info.name} in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s (train accuracy ${(artifact.metrics!.trainAccuracy * 100).toFixed(1)}%)`);
    const zipPath = join(directory, 'penguins.zip');
    writeFileSync(zipPath, exportModelZip(artifact));

    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    let finished!: Promise<number>;
    const listening = new Promise<RunningServer>((resolve, reject) => {
      finished = serveMain([zipPath, '--port', '0', '--backend', settings.backend, '--log', join(directory, 'predictions.jsonl'), '--log-bytes', '5000000', ...(settings.batching ? [] : ['--no-batch'])], {
        out: (line) => console.log(`[serve] ${line}`),
        err: (line) => console.error(`[serve] ${line}`),
        stopSignal,
        onListening: resolve,
      });
      void finished.then((code) => (code === 0 ? undefined : reject(new Error(`serve exited with ${code}`))));
    });
    const server = await listening;
    const records = requestRecords(table);
    console.log(`load: ${settings.connections} keep-alive connections, ${settings.batch} record(s) per request, ${settings.duration} s or ${settings.maxRequests} requests, ${records.length} distinct records`);

    const result = await runClient(directory, { url: server.url, records, ...settings });
    const metrics = parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
    const drift = (await (await fetch(`${server.url}/drift`)).json()) as { status: string };
    stop();
    await finished;

    const ok = result.statuses['200'] ?? 0;
    const errors = result.requests - ok + result.failures;
    const summary = {
      backend: info.name,
      connections: settings.connections,
      batch: settings.batch,
      serverBatching: settings.batching,
      requests: result.requests,
      seconds: Number(result.seconds.toFixed(2)),
      requestsPerSecond: Number((result.requests / result.seconds).toFixed(1)),
      recordsPerSecond: Number(((result.requests * settings.batch) / result.seconds).toFixed(1)),
      latencyMs: { p50: Number(result.p50.toFixed(2)), p90: Number(result.p90.toFixed(2)), p99: Number(result.p99.toFixed(2)), max: Number(result.max.toFixed(2)) },
      errors,
      serverCounted200: metrics.get('pipeline_studio_requests_total{status="200"}') ?? 0,
      serverPredictions: metrics.get('pipeline_studio_predictions_total') ?? 0,
      serverErrors: metrics.get('pipeline_studio_errors_total') ?? 0,
      driftStatus: drift.status,
    };
    console.log(JSON.stringify(summary, null, 2));
    if (errors > 0) console.error(`FAIL: ${errors} requests were not answered 200 (first: ${result.firstFailure})`);
    if (summary.serverCounted200 !== ok) console.error(`FAIL: the server counted ${summary.serverCounted200} successful requests, the client ${ok}`);
    // Replaying the training data must not look like drift.
    if (drift.status !== 'green') console.error(`FAIL: drift status on training-like traffic is ${drift.status}`);
    return errors === 0 && summary.serverCounted200 === ok && drift.status === 'green' ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
