/**
 * The main thread stays free while a model trains in the worker: no task longer than 50 ms
 * (PerformanceObserver 'longtask') from Run until the train node has finished.
 */
import { expect, openEditor, selectNode, test } from './fixtures';

/** Epochs of the digits MLP that keep the train node busy for roughly 20 s on wasm here. */
const EPOCHS = 250;

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

test('no long tasks on the main thread while the digits MLP trains', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditor(page);
  await page.getByTestId('new-graph').click();
  await page.getByTestId('template-digits-mlp').click();
  await expect(page.getByTestId('node-train')).toBeVisible();
  // The train node stays selected: its live curves and sparkline update during the run.
  await selectNode(page, 'train');
  await page.getByTestId('param-earlyStopping').uncheck();
  const epochs = page.getByTestId('param-epochs');
  await epochs.fill(String(EPOCHS));
  await epochs.press('Enter');
  await epochs.blur();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  // Let loading settle: the worker has chosen its backend, two more frames have painted.
  await expect(page.getByTestId('backend-name')).toHaveText(/wasm|cpu|webgl|webgpu/);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks!.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
  const startedAt = Date.now();
  await page.getByTestId('run').click();
  const train = page.getByTestId('node-train').getByTestId('node-status');
  await expect(train).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect(page.getByTestId('live-curves')).toBeVisible({ timeout: 60_000 });
  await expect(train).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('node-train').getByTestId('node-summary')).toContainText(`${EPOCHS} epochs`);

  const runSeconds = Math.round((Date.now() - startedAt) / 1000);
  const longTasks = await page.evaluate(() => window.__longTasks ?? []);
  console.log(`long tasks from Run until ${EPOCHS} epochs trained (${runSeconds} s): ${longTasks.length}${longTasks.length ? ` (${longTasks.map((t) => `${Math.round(t.duration)} ms`).join(', ')})` : ''}`);
  expect(longTasks.length, `long tasks: ${JSON.stringify(longTasks)}`).toBe(0);
});
