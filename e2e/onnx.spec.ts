import { readFile } from 'node:fs/promises';
import type { ModelArtifact } from '../src/data/types';
import { exportModelZip } from '../src/ml/zip';
import { expect, openEditor, test } from './fixtures';

/** A stored-model zip of a small CNN, which ONNX export refuses by layer name. */
function cnnZip(): Buffer {
  const dense = { class_name: 'Dense', config: { name: 'output', units: 1, activation: 'linear', use_bias: true } };
  const artifact: ModelArtifact = {
    name: 'tiny cnn',
    modelTopology: { class_name: 'Sequential', config: { name: 'tiny', layers: [{ class_name: 'Conv2D', config: { name: 'conv2d_1' } }, dense] } },
    weightSpecs: [
      { name: 'output/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'output/bias', shape: [1], dtype: 'float32' },
    ],
    weightData: Float32Array.of(2, -1, 0.5).buffer,
    transforms: [],
    rawSchema: [
      { name: 'a', dtype: 'number' },
      { name: 'b', dtype: 'number' },
    ],
    featureNames: ['a', 'b'],
    target: { name: 'y', task: 'regression' },
    spec: { family: 'cnn', hyper: {} },
    trainParams: {},
    history: [],
    lineage: { createdAt: 1_700_000_000_000 },
  };
  return Buffer.from(exportModelZip(artifact));
}

test('Models panel: Export ONNX downloads a trained model as ONNX; a CNN is refused naming its layer', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  // The first visit opens the iris template; train it briefly and keep the model.
  await page.locator('[data-node-type="train.fit"] .pnode-header').click();
  await page.getByTestId('param-saveToRegistry').check();
  const epochs = page.getByTestId('param-epochs');
  await epochs.fill('5');
  await epochs.press('Enter');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await page.getByTestId('tab-models').click();
  const panel = page.getByTestId('models-panel');
  const model = panel.getByTestId('model-item').first();
  await expect(model).toBeVisible();
  const name = (await model.locator('b').innerText()).trim();

  const [download] = await Promise.all([page.waitForEvent('download'), model.getByRole('button', { name: 'Export ONNX' }).click()]);
  expect(download.suggestedFilename()).toMatch(/-v\d+\.onnx$/);
  const bytes = await readFile((await download.path())!);
  // A serialized ModelProto: field 1 (ir_version, varint) = 8 first, then the producer name.
  expect([...bytes.subarray(0, 2)]).toEqual([0x08, 8]);
  expect(bytes.includes(Buffer.from('Pipeline Studio'))).toBe(true);
  expect(bytes.includes(Buffer.from('probabilities'))).toBe(true);
  expect(bytes.length).toBeGreaterThan(500);

  await panel.locator('input[type=file]').setInputFiles({ name: 'cnn.zip', mimeType: 'application/zip', buffer: cnnZip() });
  const cnn = panel.getByTestId('model-item').filter({ hasText: 'tiny cnn' });
  await cnn.getByRole('button', { name: 'Export ONNX' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Cannot export “tiny cnn” to ONNX: layer "conv2d_1" (Conv2D) is not mapped to ONNX yet' })).toBeVisible();

  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `/tmp/onnx-models-${width}.png` });
  }
  // The app stays usable: the trained model still exports.
  const [again] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('model-item').filter({ hasText: name }).getByRole('button', { name: 'Export ONNX' }).click()]);
  expect(again.suggestedFilename()).toMatch(/\.onnx$/);
});
