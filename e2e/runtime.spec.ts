/**
 * The engine worker from the editor's side: cancel mid-train, a worker crash mid-train
 * (an uncaught error thrown inside the real worker: the app has no crash hook), forced
 * backends (?backend=) and the backend setting in the status bar.
 */
import { crashEngineWorker, expect, openEditor, stopEngineWorker, test } from './fixtures';
import { UPSTREAM, nodeStatus as status, runToTheEnd, runUntilTraining, setEpochs } from './run-helpers';

test.describe('runs in the worker', () => {
  test('cancel mid-train: the train node is cancelled, finished nodes stay done, the next run works', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    await setEpochs(page, 5000);
    await runUntilTraining(page);
    await page.getByTestId('cancel').click();
    await expect(page.getByTestId('run-status')).toHaveText('Run cancelled');
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'cancelled');
    await expect(status(page, 'train')).toContainText('cancelled');
    await expect(status(page, 'evaluate')).toHaveAttribute('data-status', /cancelled|skipped/);
    for (const id of UPSTREAM) await expect(status(page, id), id).toHaveAttribute('data-status', 'done');

    await setEpochs(page, 5);
    await runToTheEnd(page);
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'done');
    // Training stops between two batches of 4 rows, so the worker stopped by itself and kept
    // its cache: the upstream results are reused, not recomputed.
    for (const id of UPSTREAM) await expect(status(page, id), id).toHaveAttribute('data-status', 'cached');
  });

  test('a worker crash mid-train shows the error on the train node; the next run completes', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    await setEpochs(page, 5000);
    await runUntilTraining(page);
    await crashEngineWorker(page, 'simulated crash');
    await expect(page.getByTestId('run-status')).toHaveText('Run failed');
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'error');
    await expect(page.getByTestId('node-train').getByTestId('node-error')).toContainText(/crashed: .*simulated crash.*; it was restarted/);
    await expect(status(page, 'evaluate')).toHaveAttribute('data-status', 'skipped');
    for (const id of UPSTREAM) await expect(status(page, id), id).toHaveAttribute('data-status', 'done');
    // The graph is intact and the replaced worker runs it (from scratch: its cache is empty).
    await expect(page.locator('.react-flow__node')).toHaveCount(7);
    await setEpochs(page, 5);
    await runToTheEnd(page);
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'done');
    for (const id of UPSTREAM) await expect(status(page, id), id).toHaveAttribute('data-status', 'done');
  });

  test('a worker that dies silently mid-train (no error event) is noticed by the heartbeat: the train node says so; the next run completes', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    await setEpochs(page, 5000);
    await runUntilTraining(page);
    await stopEngineWorker(page);
    await expect(page.getByTestId('run-status')).toHaveText('Run failed');
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'error');
    await expect(page.getByTestId('node-train').getByTestId('node-error')).toContainText(/stopped answering .*; it was restarted/);
    await expect(status(page, 'evaluate')).toHaveAttribute('data-status', 'skipped');
    await setEpochs(page, 5);
    await runToTheEnd(page);
    await expect(status(page, 'train')).toHaveAttribute('data-status', 'done');
  });
});

test.describe('forced backends', () => {
  for (const backend of ['wasm', 'cpu', 'webgl'] as const) {
    test(`?backend=${backend}: the status bar shows it and a run completes`, async ({ page }) => {
      test.setTimeout(300_000);
      await page.goto(`/?backend=${backend}`);
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', backend, { timeout: 60_000 });
      await expect(page.getByTestId('backend-select')).toBeDisabled();
      await expect(page.getByTestId('backend-select')).toHaveValue(backend);
      await setEpochs(page, 5);
      await runToTheEnd(page);
      await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', backend);
    });
  }

  test('the backend setting switches the backend and is remembered', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', /wasm|cpu|webgl|webgpu/, { timeout: 60_000 });
    await page.getByTestId('backend-select').selectOption('cpu');
    await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', 'cpu');
    await setEpochs(page, 5);
    await runToTheEnd(page);
    await page.getByTestId('backend-select').selectOption('wasm');
    await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', 'wasm');
    await page.reload();
    await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
    await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  });
});
