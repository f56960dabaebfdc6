import { expect, openEditor, test } from './fixtures';

test('open the iris template from an empty canvas and run it end to end', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  await page.getByTestId('new-graph').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByTestId('template-iris-mlp').click();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', /wasm|cpu|webgl|webgpu/);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  const evaluate = page.locator('[data-node-type="evaluate.metrics"]').first();
  await expect(evaluate.getByTestId('node-status')).toHaveAttribute('data-status', 'done');
  const summary = await evaluate.getByTestId('node-summary').innerText();
  const accuracy = Number(/accuracy\D*([0-9.]+)/i.exec(summary)?.[1]);
  expect(accuracy, `accuracy in "${summary}"`).toBeGreaterThan(0.8);
  // The output panel shows the metrics of the selected node.
  await evaluate.locator('.pnode-header').click();
  await expect(page.getByTestId('metric-accuracy')).toBeVisible();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
});

test('a trained model appears in the Models panel and predicts one record', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  // The first visit opens the iris sample, ready to run.
  await expect(page.locator('[data-node-type="train.fit"]')).toHaveCount(1);
  await page.locator('[data-node-type="train.fit"] .pnode-header').click();
  await page.getByTestId('param-saveToRegistry').check();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await page.getByTestId('tab-models').click();
  const model = page.getByTestId('model-item').first();
  await expect(model).toBeVisible();
  await model.getByRole('button', { name: 'Predict' }).click();
  const form = page.getByTestId('predict-form');
  const inputs = form.locator('input');
  // The form fills in once the model's pipeline has loaded from storage.
  await expect(inputs.first()).toBeVisible();
  const count = await inputs.count();
  expect(count).toBeGreaterThanOrEqual(4);
  // A typical setosa: short, wide sepals and tiny petals.
  const values = [5.1, 3.5, 1.4, 0.2];
  for (let i = 0; i < count; i++) await inputs.nth(i).fill(String(values[i] ?? 1));
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('prediction')).toContainText('setosa');
});
