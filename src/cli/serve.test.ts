import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransforms, fitEncode, fitImpute } from '../data/transforms';
import type { ColumnSchema, FittedTransform, ModelArtifact, Table } from '../data/types';
import { exportModelZip } from '../ml/zip';
import { provideTf } from '../ml/tf';
import { fromJsonLine } from '../serving/log';
import { parsePrometheusText } from '../serving/metrics';
import { buildReference } from '../serving/reference';
import { fullDisk } from './testing';
import { type ArtifactPredictor, createServingPredictor, parseServeArgs, serveMain, RotatingJsonlFile, type RunningServer, servingModelFromArtifact, startServer, UsageError } from './serve';

const rawSchema: ColumnSchema[] = [
  { name: 'bill', dtype: 'number' },
  { name: 'island', dtype: 'category', categories: ['Biscoe', 'Dream', 'Torgersen'] },
  { name: 'species', dtype: 'category', categories: ['Adelie', 'Gentoo'] },
];

function trainingTable(): Table {
  const rows = 60;
  return {
    rowCount: rows,
    columns: [
      { name: 'bill', dtype: 'number', values: Float64Array.from({ length: rows }, (_, i) => (i === 7 ? NaN : 35 + (i % 20))) },
      { name: 'island', dtype: 'category', codes: Int32Array.from({ length: rows }, (_, i) => i % 3), categories: ['Biscoe', 'Dream', 'Torgersen'] },
      { name: 'species', dtype: 'category', codes: Int32Array.from({ length: rows }, (_, i) => (35 + (i % 20) > 45 ? 1 : 0)), categories: ['Adelie', 'Gentoo'] },
    ],
  };
}

/**
 * A small but real model artifact: an impute + one-hot chain fitted on a table, and a
 * softmax layer whose weights make P(Gentoo) = sigmoid(bill − 45).
 */
async function buildArtifact(): Promise<ModelArtifact> {
  const table = trainingTable();
  const rows = Array.from({ length: table.rowCount }, (_, i) => i);
  const transforms: FittedTransform[] = [
    { kind: 'impute', fittedOn: 'train', state: { ...fitImpute(table, rows, ['bill'], 'median', '') } },
    { kind: 'onehot', fittedOn: 'train', state: { ...fitEncode(table, rows, ['island'], 'onehot') } },
  ];
  const features = applyTransforms(transforms, { ...table, columns: table.columns.filter((c) => c.name !== 'species') });
  const featureNames = features.columns.map((c) => c.name);
  expect(featureNames[0]).toBe('bill');

  const network = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [featureNames.length] })] });
  const kernel = tf.tensor2d(featureNames.flatMap((_, i) => (i === 0 ? [0, 1] : [0, 0])), [featureNames.length, 2]);
  const bias = tf.tensor1d([0, -45]);
  network.setWeights([kernel, bias]);
  kernel.dispose();
  bias.dispose();
  let saved: tf.io.ModelArtifacts | null = null;
  await network.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  network.dispose();
  const artifacts = saved as unknown as tf.io.ModelArtifacts;
  return {
    name: 'penguins-test',
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData: artifacts.weightData as ArrayBuffer,
    transforms,
    rawSchema,
    featureNames,
    target: { name: 'species', task: 'classification', classes: ['Adelie', 'Gentoo'] },
    spec: { family: 'logistic', hyper: {} },
    trainParams: {},
    history: [],
    reference: buildReference(table, rows, rawSchema, { exclude: ['species'] }),
    lineage: { createdAt: 0 },
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('serve CLI server', () => {
  let artifact: ModelArtifact;
  let predictor: ArtifactPredictor;
  let server: RunningServer;
  let strictServer: RunningServer;
  let directory: string;
  let baselineTensors: number;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    provideTf(tf);
    artifact = await buildArtifact();
    baselineTensors = tf.memory().numTensors;
    predictor = await createServingPredictor(artifact);
    directory = mkdtempSync(join(tmpdir(), 'serve-test-'));
    const model = servingModelFromArtifact(artifact, predictor, 'cpu');
    server = await startServer(model, { port: 0, host: '127.0.0.1', logPath: join(directory, 'predictions.jsonl'), logBytes: 2048 });
    strictServer = await startServer(model, { port: 0, host: '127.0.0.1', unseenCategory: 'refuse', extraFields: 'refuse' });
  });

  afterAll(async () => {
    await server?.close();
    await strictServer?.close();
    predictor?.dispose();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const predict = (base: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}/predict`, { method: 'POST', body, headers });

  it('listens on loopback and predicts with probabilities', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await predict(server.url, JSON.stringify({ records: [{ bill: 50, island: 'Dream' }, { bill: 40, island: 'Biscoe' }] }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.model.name).toBe('penguins-test');
    expect(body.model.version).toMatch(/^[0-9a-f]{12}$/);
    expect(body.predictions.map((p: { prediction: string }) => p.prediction)).toEqual(['Gentoo', 'Adelie']);
    expect(body.predictions[0].probabilities.Gentoo).toBeCloseTo(sigmoid(5), 5);
    expect(body.predictions[1].probabilities.Gentoo).toBeCloseTo(sigmoid(-5), 5);
  });

  it('imputes an omitted field the chain fills', async () => {
    // Training bills are 35…54 three times each, one 42 missing: the 30th of 59 values, the median, is 45.
    const response = await predict(server.url, JSON.stringify({ island: 'Torgersen' }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.predictions[0].probabilities.Gentoo).toBeCloseTo(sigmoid(45 - 45), 5);
    expect(server.handler.log.entries(1)[0].inputs).toEqual({ bill: null, island: 'Torgersen' });
  });

  it('answers every bad request with the right 4xx and keeps serving', async () => {
    const noIsland = await predict(server.url, '{"bill":50}');
    expect(noIsland.status).toBe(422);
    expect(await noIsland.json()).toEqual({ error: expect.stringMatching(/^invalid input: island: missing field/), fields: { island: expect.stringMatching(/^missing field/) } });

    const wrongType = await predict(server.url, '{"bill":"fifty","island":"Dream"}');
    expect(wrongType.status).toBe(422);
    expect((await wrongType.json()).fields).toEqual({ bill: 'wrong type: expected a number, got string "fifty"' });

    const batch = await predict(server.url, JSON.stringify({ records: [{ bill: 50, island: 'Dream' }, { bill: true, island: 'Dream' }] }));
    expect(batch.status).toBe(422);
    expect(Object.keys((await batch.json()).fields)).toEqual(['records[1].bill']);

    const empty = await predict(server.url, '');
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/^empty body/);

    const broken = await predict(server.url, '{"bill": 5');
    expect(broken.status).toBe(400);

    const huge = await predict(server.url, JSON.stringify({ records: Array.from({ length: 40_000 }, (_, i) => ({ bill: i, island: 'Dream' })) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe('request body is larger than 1000000 bytes');

    const tooMany = await predict(server.url, JSON.stringify(Array.from({ length: 10_001 }, () => ({}))));
    expect(tooMany.status).toBe(413);

    const upload = await predict(server.url, '--b\r\n', { 'content-type': 'multipart/form-data; boundary=b' });
    expect(upload.status).toBe(415);
    const form = await predict(server.url, 'bill=5', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);

    const wrongMethod = await fetch(`${server.url}/predict`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${server.url}/metrics`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(404);

    const after = await predict(server.url, '{"bill":46,"island":"Biscoe"}');
    expect(after.status).toBe(200);
  });

  it('accepts unseen categories and extra fields with warnings, and the strict server refuses them', async () => {
    const body = JSON.stringify({ bill: 46, island: 'Atlantis', wingspan: 3 });
    const lenient = await predict(server.url, body);
    expect(lenient.status).toBe(200);
    const answer = await lenient.json();
    expect(answer.warnings).toEqual([
      'island: unseen category "Atlantis" (known: Biscoe, Dream, Torgersen)',
      'wingspan: unknown field ignored',
      expect.stringMatching(/Column "island": 1 value\(s\) not seen in training/),
    ]);
    // One-hot encodes the unseen island as zeros; only bill counts.
    expect(answer.predictions[0].probabilities.Gentoo).toBeCloseTo(sigmoid(1), 5);

    const strict = await predict(strictServer.url, body);
    expect(strict.status).toBe(422);
    expect(await strict.json()).toEqual({
      error: 'invalid input: island: unseen category "Atlantis" (known: Biscoe, Dream, Torgersen) (and 1 more)',
      fields: { island: 'unseen category "Atlantis" (known: Biscoe, Dream, Torgersen)', wingspan: 'unknown field: the model does not use it' },
    });
  });

  it('reports health, schema and Prometheus metrics that match the traffic', async () => {
    const health = await (await fetch(`${strictServer.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', model: { name: 'penguins-test', task: 'classification' }, backend: 'cpu' });
    const schema = await (await fetch(`${strictServer.url}/schema`)).json();
    expect(schema.inputs.map((c: ColumnSchema) => c.name)).toEqual(['bill', 'island']);

    const before = parsePrometheusText(await (await fetch(`${strictServer.url}/metrics`)).text());
    const ok = before.get('pipeline_studio_requests_total{status="200"}') ?? 0;
    const refused = before.get('pipeline_studio_requests_total{status="422"}') ?? 0;
    for (let i = 0; i < 3; i++) expect((await predict(strictServer.url, JSON.stringify({ bill: 40 + i, island: 'Dream' }))).status).toBe(200);
    expect((await predict(strictServer.url, '{"island":"Dream","bill":"x"}')).status).toBe(422);
    const response = await fetch(`${strictServer.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const after = parsePrometheusText(await response.text());
    // The earlier /metrics scrape and /health, /schema also count as 200s.
    expect(after.get('pipeline_studio_requests_total{status="200"}')).toBe(ok + 4);
    expect(after.get('pipeline_studio_requests_total{status="422"}')).toBe(refused + 1);
    expect(after.get('pipeline_studio_prediction_latency_seconds_count')).toBe((before.get('pipeline_studio_prediction_latency_seconds_count') ?? 0) + 3);
    expect(after.get('pipeline_studio_errors_total')).toBe(0);
  });

  it('logs only answered predictions to a size-bounded, rotated JSON-lines file', async () => {
    for (let i = 0; i < 30; i++) expect((await predict(server.url, JSON.stringify({ bill: 30 + i, island: 'Torgersen' }))).status).toBe(200);
    const files = readdirSync(directory).sort();
    expect(files[0]).toBe('predictions.jsonl');
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(4);
    const entries = files.flatMap((f) => readFileSync(join(directory, f), 'utf8').trim().split('\n').map(fromJsonLine));
    for (const f of files) expect(readFileSync(join(directory, f)).length).toBeLessThanOrEqual(2048);
    // Every logged entry was a valid prediction: no refused input ever reached the log.
    for (const entry of entries) {
      expect(typeof entry.inputs.island).toBe('string');
      expect(['Adelie', 'Gentoo']).toContain(entry.output.prediction);
    }
    expect(entries.some((e) => e.inputs.bill === 59)).toBe(true);
    expect(server.handler.log.entries().every((e) => e.inputs.bill === null || typeof e.inputs.bill === 'number')).toBe(true);
  });

  it('reports drift on /drift once traffic leaves the training range', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ bill: 100 + i, island: ['Biscoe', 'Dream', 'Torgersen'][i % 3] }));
    expect((await predict(strictServer.url, JSON.stringify({ records }))).status).toBe(200);
    const drift = await (await fetch(`${strictServer.url}/drift`)).json();
    expect(drift.status).toBe('red');
    expect(drift.latest.features.find((f: { name: string }) => f.name === 'bill').status).toBe('red');
    const metrics = parsePrometheusText(await (await fetch(`${strictServer.url}/metrics`)).text());
    expect(metrics.get('pipeline_studio_drift_psi{feature="bill"}')!).toBeGreaterThan(0.25);
  });

  it('on a full disk keeps answering, says so once, counts the records it could not log, and never leaves a partial line', async () => {
    const path = join(directory, 'full.jsonl');
    const disk = fullDisk(1000);
    const warnings: string[] = [];
    const full = await startServer(servingModelFromArtifact(artifact, predictor, 'cpu'), { port: 0, host: '127.0.0.1', logPath: path, logFs: disk, warn: (l) => warnings.push(l) });
    try {
      for (let i = 0; i < 20; i++) expect((await predict(full.url, JSON.stringify({ bill: 30 + i, island: 'Dream' }))).status).toBe(200);
      const lines = () => readFileSync(path, 'utf8').split('\n');
      expect(lines().at(-1)).toBe(''); // ends with a newline: no torn line
      const logged = lines().filter(Boolean).map(fromJsonLine);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.length).toBeLessThan(20);
      const samples = parsePrometheusText(await (await fetch(`${full.url}/metrics`)).text());
      expect(samples.get('pipeline_studio_predictions_total')).toBe(20);
      expect(samples.get('pipeline_studio_log_write_failures_total')).toBe(20 - logged.length);
      expect(samples.get('pipeline_studio_errors_total')).toBe(0);
      expect(await (await fetch(`${full.url}/health`)).json()).toMatchObject({ status: 'degraded', logged: 20, logFailures: 20 - logged.length });
      expect(warnings).toEqual([
        `serve: cannot write the prediction log ${path}: the disk is full (ENOSPC). Predictions are still answered; ` +
          'records not logged are counted in /metrics (pipeline_studio_log_write_failures_total) and /health (logFailures).',
      ]);

      disk.free = 1_000_000;
      expect((await predict(full.url, JSON.stringify({ bill: 60, island: 'Dream' }))).status).toBe(200);
      expect(lines().filter(Boolean).map(fromJsonLine).map((e) => e.inputs.bill)).toEqual([...logged.map((e) => e.inputs.bill), 60]);
      expect(warnings[1]).toBe(`serve: the prediction log is written again (${20 - logged.length} record(s) were not logged)`);
      expect(await (await fetch(`${full.url}/health`)).json()).toMatchObject({ status: 'ok', logFailures: 20 - logged.length });
    } finally {
      await full.close();
    }
  });

  it('repairs a torn last line of its log on start, and says so', async () => {
    const path = join(directory, 'torn.jsonl');
    writeFileSync(path, '{"time":"2024-01-01T00:00:00.000Z","modelVersion":"v","latencyMs":1,"batchSize":1,"inputs":{},"output":{"prediction":"Adelie"}}\n{"time":"2024-01-01T00:00:0');
    const warnings: string[] = [];
    const torn = await startServer(servingModelFromArtifact(artifact, predictor, 'cpu'), { port: 0, host: '127.0.0.1', logPath: path, warn: (l) => warnings.push(l) });
    try {
      expect(warnings).toEqual([`serve: ${path} ended with a torn line (27 bytes of an interrupted write): removed it, the log is valid JSON lines again`]);
      expect((await predict(torn.url, JSON.stringify({ bill: 50, island: 'Dream' }))).status).toBe(200);
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).map(fromJsonLine)).toHaveLength(2);
    } finally {
      await torn.close();
    }
  });

  it('hangs up on a client that does not finish its headers, and refuses connections past the limit', async () => {
    const model = servingModelFromArtifact(artifact, predictor, 'cpu');
    const slow = await startServer(model, { port: 0, host: '127.0.0.1', connections: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    const capped = await startServer(model, { port: 0, host: '127.0.0.1', connections: { maxConnections: 2 } });
    const sockets: Socket[] = [];
    /** Opens a raw connection, sends `text`, and resolves with what came back when the server closes it. */
    const exchange = (url: string, text: string) =>
      new Promise<{ socket: Socket; reply: Promise<string> }>((resolve) => {
        const { hostname, port } = new URL(url);
        const socket = connect(Number(port), hostname, () => {
          socket.write(text);
          resolve({ socket, reply });
        });
        sockets.push(socket);
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('error', () => undefined);
        const reply = new Promise<string>((done) => socket.on('close', () => done(received)));
      });
    try {
      // Half-sent headers: answered 408 and closed, not held for Node's default 300 s.
      const half = await exchange(slow.url, 'POST /predict HTTP/1.1\r\nHost: test\r\nContent-Type: appl');
      expect(await half.reply).toMatch(/^HTTP\/1\.1 408/);

      // Two kept-alive connections fill the cap; a third is closed unanswered.
      const health = 'GET /health HTTP/1.1\r\nHost: test\r\n\r\n';
      for (let i = 0; i < 2; i++) {
        const open = await exchange(capped.url, health);
        await new Promise<void>((done) => open.socket.once('data', () => done()));
      }
      const third = await exchange(capped.url, health);
      expect(await third.reply).toBe('');
    } finally {
      for (const socket of sockets) socket.destroy();
      await slow.close();
      await capped.close();
    }
  });

  it('frees every tensor it made while serving', () => {
    // The loaded network's weights are the only tensors the predictor holds.
    expect(tf.memory().numTensors).toBe(baselineTensors + 2);
  });
});

describe('parseServeArgs', () => {
  it('reads the model path and options with defaults', () => {
    expect(parseServeArgs(['model.zip'])).toEqual({
      modelPath: 'model.zip',
      port: 8080,
      host: '127.0.0.1',
      logPath: undefined,
      maxLog: 10_000,
      logBytes: 10_000_000,
      maxBody: 1_000_000,
      maxRecords: 10_000,
      strict: false,
      batching: true,
      backend: 'wasm',
    });
    expect(parseServeArgs(['--port', '0', 'm.zip', '--host=0.0.0.0', '--log', 'p.jsonl', '--max-log', '50', '--strict', '--no-batch', '--backend', 'cpu'])).toMatchObject({
      batching: false,
      modelPath: 'm.zip',
      port: 0,
      host: '0.0.0.0',
      logPath: 'p.jsonl',
      maxLog: 50,
      strict: true,
      backend: 'cpu',
    });
    expect(parseServeArgs(['--help'])).toBe('help');
  });

  it('explains bad arguments', () => {
    expect(() => parseServeArgs([])).toThrow(UsageError);
    expect(() => parseServeArgs(['a.zip', 'b.zip'])).toThrow(/one model at a time/);
    expect(() => parseServeArgs(['m.zip', '--port', '99999'])).toThrow(/--port needs a whole number from 0 to 65535/);
    expect(() => parseServeArgs(['m.zip', '--port'])).toThrow(/got nothing/);
    expect(() => parseServeArgs(['m.zip', '--max-log', '0'])).toThrow(/--max-log/);
    expect(() => parseServeArgs(['m.zip', '--backend', 'webgl'])).toThrow(/wasm or cpu/);
    expect(() => parseServeArgs(['m.zip', '--verbose'])).toThrow(/unknown option --verbose/);
  });
});

describe('RotatingJsonlFile', () => {
  it('rotates before exceeding the size and keeps a bounded number of old files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'rotate-test-'));
    try {
      const path = join(directory, 'log.jsonl');
      const file = new RotatingJsonlFile(path, 1024, 2);
      const line = JSON.stringify({ pad: 'x'.repeat(90) }); // 101 bytes with the newline
      for (let i = 0; i < 50; i++) file.append([line]);
      expect(readdirSync(directory).sort()).toEqual(['log.jsonl', 'log.jsonl.1', 'log.jsonl.2']);
      expect(readFileSync(`${path}.1`, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
      // 50 lines, 10 per full file: the current file holds the last 10 after four rotations.
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
      // A new writer continues the existing file's size.
      const reopened = new RotatingJsonlFile(path, 1024, 2);
      reopened.append([line]);
      expect(readFileSync(`${path}.1`, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('serveMain', () => {
  it('serves an exported model zip end to end and stops on request', async () => {
    await tf.setBackend('cpu');
    provideTf(tf);
    const directory = mkdtempSync(join(tmpdir(), 'serve-main-'));
    try {
      const zipPath = join(directory, 'model.zip');
      writeFileSync(zipPath, exportModelZip(await buildArtifact()));
      const baseline = tf.memory().numTensors;
      const out: string[] = [];
      const errors: string[] = [];
      let stop!: () => void;
      const stopSignal = new Promise<void>((resolve) => (stop = resolve));
      const listening = new Promise<RunningServer>((resolve) => {
        void serveMain([zipPath, '--port', '0', '--backend', 'cpu', '--log', join(directory, 'p.jsonl')], {
          out: (line) => out.push(line),
          err: (line) => errors.push(line),
          stopSignal,
          onListening: resolve,
        }).then((code) => out.push(`exit ${code}`));
      });
      const server = await listening;
      const response = await fetch(`${server.url}/predict`, { method: 'POST', body: JSON.stringify({ bill: 60, island: 'Dream' }), headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(200);
      // The zip's target is left out of the request schema: no "species" needed.
      expect((await response.json()).predictions[0].prediction).toBe('Gentoo');
      stop();
      await expect.poll(() => out.at(-1)).toBe('exit 0');
      expect(out[0]).toMatch(/^Serving penguins-test \(version [0-9a-f]{12}, classification\) on http:\/\/127\.0\.0\.1:\d+ with the cpu backend$/);
      expect(errors).toEqual([]);
      expect(readFileSync(join(directory, 'p.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
      expect(tf.memory().numTensors).toBe(baseline);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('explains a missing model and bad arguments with exit codes', async () => {
    const errors: string[] = [];
    const io = { out: () => undefined, err: (line: string) => errors.push(line) };
    expect(await serveMain([], io)).toBe(2);
    expect(errors[0]).toMatch(/^serve: which model\?/);
    expect(await serveMain(['/nonexistent/model.zip', '--backend', 'cpu'], io)).toBe(1);
    expect(errors[1]).toBe('serve: cannot load /nonexistent/model.zip: cannot read model /nonexistent/model.zip: no such file');
    const notZip = join(mkdtempSync(join(tmpdir(), 'serve-bad-')), 'model.zip');
    writeFileSync(notZip, 'not a zip');
    expect(await serveMain([notZip, '--backend', 'cpu'], io)).toBe(1);
    expect(errors[2]).toMatch(/^serve: cannot load .*model\.zip: /);
    rmSync(join(notZip, '..'), { recursive: true, force: true });
  });
});
