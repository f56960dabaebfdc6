import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { ModelArtifact, TrainedModel } from '../data/types';
import { train } from '../nodes/train/train';
import { createPredictor } from './predict';
import { blobsDataset, runNode, setupCpuTf } from './test-helpers';
import { exportModelZip, importModelZip, ModelZipError } from './zip';

let tf: typeof TF;
let model: TrainedModel;
let artifact: ModelArtifact;
beforeAll(async () => {
  tf = await setupCpuTf();
  model = (await runNode(train, { data: blobsDataset(), spec: { family: 'mlp', hyper: { layers: [6] } } }, { params: { epochs: 10 } })).model as TrainedModel;
  artifact = { ...model.artifact, metrics: { accuracy: 0.9 } };
});

describe('model zip', () => {
  it('holds a stock tfjs layers model that tf.loadLayersModel loads and that predicts the same numbers', async () => {
    const files = unzipSync(exportModelZip(artifact));
    expect(Object.keys(files).sort()).toEqual(['model.json', 'pipeline.json', 'weights.bin']);
    const modelJson = JSON.parse(strFromU8(files['model.json'])) as TF.io.ModelJSON;
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);

    // Stock loader: the same route a tfjs user takes with model.json + weights.bin on disk.
    const weights = files['weights.bin'];
    const handler: TF.io.IOHandler = {
      load: async () => ({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        format: modelJson.format,
      }),
    };
    const loaded = await tf.loadLayersModel(handler);
    const input = [[0.5, 0.5], [3.2, 2.1], [6.7, 0.3], [1, 1]];
    const expected = tf.tidy(() => Array.from(((model.network as TF.LayersModel).predict(tf.tensor2d(input)) as TF.Tensor).dataSync()));
    const actual = tf.tidy(() => Array.from((loaded.predict(tf.tensor2d(input)) as TF.Tensor).dataSync()));
    expect(actual).toEqual(expected);
    loaded.dispose();

    const pipeline = JSON.parse(strFromU8(files['pipeline.json'])) as Record<string, unknown>;
    expect(pipeline).toMatchObject({ format: 'pipeline-studio.model', version: 1, featureNames: ['x', 'y'], metrics: { accuracy: 0.9 } });
  });

  it('round-trips the artifact and exports the same bytes every time', async () => {
    const bytes = exportModelZip(artifact);
    expect(exportModelZip(artifact)).toEqual(bytes);
    const back = importModelZip(bytes);
    expect(new Uint8Array(back.weightData)).toEqual(new Uint8Array(artifact.weightData));
    const { weightData: _a, ...rest } = back;
    const { weightData: _b, ...original } = artifact;
    expect(JSON.parse(JSON.stringify(rest))).toEqual(JSON.parse(JSON.stringify(original)));

    const before = tf.memory().numTensors;
    const predictor = await createPredictor(back);
    const [r] = predictor.predict([{ x: 6.5, y: 0.5 }]);
    const live = tf.tidy(() => Array.from(((model.network as TF.LayersModel).predict(tf.tensor2d([[6.5, 0.5]])) as TF.Tensor).dataSync()));
    expect(Object.values(r.probabilities!)).toEqual(live);
    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts the files inside one folder', () => {
    const files = unzipSync(exportModelZip(artifact));
    const nested = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`my-model/${k}`, v])));
    expect(importModelZip(nested).featureNames).toEqual(['x', 'y']);
  });

  describe('bad zips', () => {
    const withFiles = (change: (files: Record<string, Uint8Array>) => void) => {
      const files = unzipSync(exportModelZip(artifact));
      change(files);
      return zipSync(files);
    };

    it('rejects bytes that are not a zip', () => {
      expect(() => importModelZip(strToU8('hello, not a zip'))).toThrow(ModelZipError);
      expect(() => importModelZip(strToU8('hello, not a zip'))).toThrow(/not a readable zip/);
    });

    it('names the missing file', () => {
      expect(() => importModelZip(withFiles((f) => delete f['pipeline.json']))).toThrow(/no pipeline.json/);
      expect(() => importModelZip(withFiles((f) => delete f['weights.bin']))).toThrow(/no weights.bin/);
    });

    it('rejects broken JSON and foreign files', () => {
      expect(() => importModelZip(withFiles((f) => (f['model.json'] = strToU8('{oops'))))).toThrow(/model.json is not valid JSON/);
      expect(() => importModelZip(withFiles((f) => (f['model.json'] = strToU8('{"hello": 1}'))))).toThrow(/not a tfjs layers model/);
      expect(() => importModelZip(withFiles((f) => (f['pipeline.json'] = strToU8('{"format": "other"}'))))).toThrow(/not a Pipeline Studio model/);
    });

    it('rejects truncated weights', () => {
      expect(() => importModelZip(withFiles((f) => (f['weights.bin'] = f['weights.bin'].slice(0, 10))))).toThrow(/weights hold 10 bytes but model.json describes \d+/);
    });
  });
});
