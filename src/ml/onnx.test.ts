/**
 * ONNX export: onnxruntime-node (a dev dependency; its CPU binary ships inside the npm package)
 * runs the exported graph on raw records and must agree with the tfjs predictor: same
 * classes, probabilities within 1e-4, regression within 1e-4 relative.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseData } from '../data/parse';
import { cellValue } from '../data/table';
import { chainFills } from '../data/transforms';
import type { ModelArtifact, Table } from '../data/types';
import { PUBLIC_DIR } from '../cli/files';
import { runCommand } from '../cli/run';
import { initBackend } from '../runtime/backend';
import { nodeBackendPlatform } from '../runtime/backend-node';
import { exportOnnx, OnnxExportError, onnxModel } from './onnx';
import onnxProto from './onnx-proto.json' with { type: 'json' };
import { createPredictor } from './predict';
import { importModelZip } from './zip';

async function trainedModel(example: string, dir: string): Promise<ModelArtifact> {
  let stderr = '';
  const code = await runCommand([join(PUBLIC_DIR, 'examples', `${example}.json`), '--set', 'train.epochs=40', '--quiet', '--save-models', dir], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: dir });
  expect(code, stderr).toBe(0);
  return importModelZip(new Uint8Array(await readFile(join(dir, 'train.zip'))));
}

async function rawRecords(file: string, artifact: ModelArtifact): Promise<Record<string, unknown>[]> {
  const bytes = new Uint8Array(await readFile(join(PUBLIC_DIR, 'samples', file)));
  const { table } = await parseData(bytes, 'auto', file, {});
  return Array.from({ length: table.rowCount }, (_, r) => Object.fromEntries(artifact.rawSchema.map((s) => [s.name, cellValue(columnOf(table, s.name), r)])));
}

function columnOf(table: Table, name: string) {
  return table.columns.find((c) => c.name === name)!;
}

/** Raw records → ORT feeds: [N,1] double (NaN missing) or string ("" missing) per raw column. */
function feeds(artifact: ModelArtifact, records: Record<string, unknown>[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const schema of artifact.rawSchema) {
    const values = records.map((r) => r[schema.name]);
    if (schema.dtype === 'category' || schema.dtype === 'text') {
      out[schema.name] = new ort.Tensor('string', values.map((v) => (v === null || v === undefined ? '' : String(v))), [records.length, 1]);
    } else {
      out[schema.name] = new ort.Tensor('float64', Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : Number(v))), [records.length, 1]);
    }
  }
  return out;
}

beforeAll(async () => {
  await initBackend(tf, 'cpu', nodeBackendPlatform);
});

describe('ONNX export runs in onnxruntime and predicts what the tfjs model predicts, from raw records', () => {
  it.each([
    ['iris-mlp', 'iris.csv'],
    ['penguins-mlp', 'penguins.csv'],
    ['cars-regression', 'cars.json'],
  ])('%s', async (example, sample) => {
    const dir = await mkdtemp(join(tmpdir(), `onnx-${example}-`));
    const artifact = await trainedModel(example, dir);
    // Records the predictor takes: every field present that no step of the chain fills.
    const fills = chainFills(artifact.transforms);
    const records = (await rawRecords(sample, artifact)).filter((r) => artifact.rawSchema.every((s) => fills.has(s.name) || r[s.name] !== null));
    expect(records.length).toBeGreaterThan(100);
    const predictor = await createPredictor(artifact);
    const expected = predictor.predict(records);
    predictor.dispose();
    const bytes = exportOnnx(artifact, { producerVersion: '1.2.3' });
    // The CSP-safe encoder writes exactly what protobufjs's generated encoder writes (and the model fits onnx.proto).
    const ModelProto = protobuf.Root.fromJSON(onnxProto as protobuf.INamespace).lookupType('onnx.ModelProto');
    const model = onnxModel(artifact, { producerVersion: '1.2.3' });
    expect(ModelProto.verify(model)).toBeNull();
    expect(Buffer.from(bytes).equals(Buffer.from(ModelProto.encode(ModelProto.fromObject(model)).finish()))).toBe(true);
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run(feeds(artifact, records));
    if (artifact.target.task === 'classification') {
      const classes = artifact.target.classes!;
      const probabilities = result.probabilities.data as Float32Array;
      const labels = result.label.data as string[];
      expect(labels).toEqual(expected.map((p) => p.prediction));
      let worst = 0;
      expected.forEach((p, i) => classes.forEach((label, k) => (worst = Math.max(worst, Math.abs(probabilities[i * classes.length + k] - p.probabilities![label])))));
      expect(worst).toBeLessThan(1e-4);
    } else {
      const predicted = result.prediction.data as Float64Array;
      expected.forEach((p, i) => expect(Math.abs(predicted[i] - (p.prediction as number))).toBeLessThan(1e-4 * Math.max(1, Math.abs(p.prediction as number))));
    }
    if (example === 'penguins-mlp') {
      // The one-hot and missing-value steps: rows with a missing measurement, and an island the encoder never saw.
      const odd = [
        { ...records[0], Island: 'Atlantis', 'Beak Length (mm)': null },
        { ...records[1], 'Body Mass (g)': null, 'Flipper Length (mm)': null },
      ];
      const oddPredictor = await createPredictor(artifact);
      const want = oddPredictor.predict(odd);
      oddPredictor.dispose();
      expect(want[0].warnings?.join(' ')).toMatch(/not seen in training/);
      const got = await session.run(feeds(artifact, odd));
      const k = artifact.target.classes!.length;
      expect(got.label.data).toEqual(want.map((p) => p.prediction));
      want.forEach((p, i) => artifact.target.classes!.forEach((label, c) => expect(Math.abs((got.probabilities.data as Float32Array)[i * k + c] - p.probabilities![label])).toBeLessThan(1e-4)));
    }
    await session.release();
  });

  it('refuses a layer it does not map, naming it', async () => {
    const artifact = {
      name: 'cnn',
      modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Reshape', config: { name: 'reshape_1' } }, { class_name: 'Conv2D', config: { name: 'conv2d_1' } }] } },
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
      transforms: [],
      rawSchema: [],
      featureNames: [],
      target: { name: 'y', task: 'classification', classes: ['a'] },
      spec: { family: 'cnn', hyper: {} },
      trainParams: {},
      history: [],
      lineage: { createdAt: 0 },
    } as ModelArtifact;
    expect(() => exportOnnx(artifact)).toThrow(new OnnxExportError('layer "reshape_1" (Reshape) is not mapped to ONNX yet: only dense models (linear, logistic, MLP) export'));
  });

  it('encodes without compiling code (the app\'s CSP blocks Function and eval)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onnx-csp-'));
    const artifact = await trainedModel('iris-mlp', dir);
    const original = globalThis.Function;
    const blocked = function () {
      throw new EvalError('Function is blocked by the content security policy');
    } as unknown as FunctionConstructor;
    globalThis.Function = blocked;
    let bytes: Uint8Array;
    try {
      bytes = exportOnnx(artifact);
    } finally {
      globalThis.Function = original;
    }
    const ModelProto = protobuf.Root.fromJSON(onnxProto as protobuf.INamespace).lookupType('onnx.ModelProto');
    expect(Buffer.from(bytes).equals(Buffer.from(ModelProto.encode(ModelProto.fromObject(onnxModel(artifact))).finish()))).toBe(true);
  });

  it('the ONNX messages are the vendored onnx.proto3 (the JSON descriptor is generated from it, unchanged)', async () => {
    const root = await protobuf.load(join(PUBLIC_DIR, '..', 'vendor', 'onnx', 'onnx.proto3'));
    expect(JSON.parse(JSON.stringify(root.toJSON()))).toEqual(onnxProto);
  });
});
