import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../data/types';
import { exportModelZip } from '../ml/zip';
import { exportOnnxCommand } from './export-onnx';
import { EXIT_OK, EXIT_USAGE } from './run';

async function exportOnnx(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await exportOnnxCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** A model zip: a linear regression (one Dense layer, 2 inputs), or a CNN's first layers. */
function artifact(kind: 'linear' | 'cnn'): ModelArtifact {
  const dense = { class_name: 'Dense', config: { name: 'output', units: 1, activation: 'linear', use_bias: true, batch_input_shape: [null, 2] } };
  const layers = kind === 'linear' ? [dense] : [{ class_name: 'Reshape', config: { name: 'reshape_1', target_shape: [1, 2, 1] } }, { class_name: 'Conv2D', config: { name: 'conv2d_1' } }, dense];
  return {
    name: 'tiny',
    modelTopology: { class_name: 'Sequential', config: { name: 'tiny', layers } },
    weightSpecs: [
      { name: 'output/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'output/bias', shape: [1], dtype: 'float32' },
    ],
    weightData: Float32Array.of(2, -1, 0.5).buffer,
    transforms: [{ kind: 'scale', fittedOn: 'train', state: { columns: ['a'], method: 'standard', centers: [1], scales: [2] } }],
    rawSchema: [
      { name: 'a', dtype: 'number' },
      { name: 'b', dtype: 'number' },
    ],
    featureNames: ['a', 'b'],
    target: { name: 'y', task: 'regression' },
    spec: { family: kind, hyper: {} },
    trainParams: {},
    history: [],
    lineage: { createdAt: 0 },
  };
}

describe('pipeline-studio export-onnx', () => {
  it('writes an ONNX file for a dense model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'export-onnx-'));
    await writeFile(join(dir, 'linear.zip'), exportModelZip(artifact('linear')));
    const { code, stderr } = await exportOnnx(['linear.zip', '-o', 'linear.onnx'], dir);
    expect(code, stderr).toBe(EXIT_OK);
    expect(stderr).toMatch(/^wrote linear\.onnx \(\d+ bytes\): inputs a \(double\), b \(double\); outputs prediction \[N,1\]$/m);
    expect((await readFile(join(dir, 'linear.onnx'))).byteLength).toBeGreaterThan(100);
  });

  it('refuses a layer it does not map (exit 2, naming the layer)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'export-onnx-cnn-'));
    await writeFile(join(dir, 'cnn.zip'), exportModelZip(artifact('cnn')));
    const { code, stderr } = await exportOnnx(['cnn.zip', '-o', 'cnn.onnx'], dir);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toBe('error: cannot export cnn.zip to ONNX: layer "reshape_1" (Reshape) is not mapped to ONNX yet: only dense models (linear, logistic, MLP) export\n');
  });

  it('bad input: not a zip, no such file, no -o', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'export-onnx-bad-'));
    await writeFile(join(dir, 'model.zip'), 'not a zip');
    expect((await exportOnnx(['model.zip', '-o', 'm.onnx'], dir)).stderr).toMatch(/^error: model\.zip is not a model zip: not a readable zip file/);
    expect((await exportOnnx(['nope.zip', '-o', 'm.onnx'], dir)).stderr).toBe('error: Cannot read nope.zip: no such file\n');
    const noOutput = await exportOnnx(['model.zip'], dir);
    expect(noOutput.code).toBe(EXIT_USAGE);
    expect(noOutput.stderr).toContain('Missing -o <model.onnx>');
  });
});
