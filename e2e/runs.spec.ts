/**
 * Run history: two runs of the iris template with different learning rates are listed in the
 * Runs view, compared (the learning-rate change, both accuracies, two training curves), and
 * the first one restored as a new revision that undo takes back.
 */
import type { Page } from '@playwright/test';
import { expect, openEditor, selectNode, test, waitSaved } from './fixtures';

async function setLearningRate(page: Page, value: string): Promise<void> {
  await page.getByTestId('view-editor').click();
  await selectNode(page, 'train');
  const field = page.getByTestId('param-learningRate');
  await field.fill(value);
  await field.press('Enter');
  await expect(field).toHaveValue(value);
  await waitSaved(page);
}

async function runToTheEnd(page: Page): Promise<void> {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
}

/** Screenshots for the docs, when asked for: RUNS_SCREENSHOTS=<dir>. */
async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.RUNS_SCREENSHOTS;
  if (!dir) return;
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ]) {
    await page.setViewportSize({ width, height });
    // The chart sizes itself to its container when it is built.
    await page.getByTestId('view-editor').click();
    await page.getByTestId('view-runs').click();
    await page.getByTestId('run-select').nth(0).check();
    await page.getByTestId('run-select').nth(1).check();
    await expect(page.getByTestId('compare-curves').locator('canvas')).toBeVisible();
    await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

test('two runs with different learning rates: listed, compared, and the first one restored', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditor(page);
  await setLearningRate(page, '0.005');
  await runToTheEnd(page);
  await setLearningRate(page, '0.05');
  await runToTheEnd(page);

  await page.getByTestId('view-runs').click();
  const view = page.getByTestId('runs-view');
  const rows = view.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  // Newest first; both have a test accuracy.
  for (const row of await rows.all()) await expect(row.getByTestId('run-metric-accuracy')).toHaveText(/^\d\.\d+$/);
  const [newer, older] = [rows.nth(0), rows.nth(1)];
  const olderId = await older.getAttribute('data-run-id');

  // Compare: select both.
  await expect(page.getByTestId('runs-compare')).toHaveCount(0);
  await newer.getByTestId('run-select').check();
  await older.getByTestId('run-select').check();
  const compare = page.getByTestId('runs-compare');
  await expect(compare).toBeVisible();
  // Only the learning rate changed, on the train node.
  const changed = compare.getByTestId('diff-param');
  await expect(changed).toHaveCount(1);
  await expect(changed).toHaveAttribute('data-node', 'train');
  await expect(changed).toHaveAttribute('data-param', 'learningRate');
  await expect(changed.locator('.before')).toHaveText('0.005');
  await expect(changed.locator('.after')).toHaveText('0.05');
  await expect(compare.getByTestId('data-changed')).toHaveCount(0);
  // Both accuracies side by side, the second with its difference.
  const accuracy = compare.getByTestId('compare-metric-accuracy');
  await expect(accuracy.locator('td .value')).toHaveText([/^\d\.\d+$/, /^\d\.\d+$/]);
  await expect(accuracy.locator('td .delta')).toHaveText(/\([+−±]\d\.\d+\)/);
  // Two training curves on one chart: the x series plus one legend entry per run.
  const chart = compare.getByTestId('compare-curves');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(chart.locator('.u-legend .u-series')).toHaveCount(3);

  await screenshots(page, 'runs-view');

  // Restore the first run: the editor shows its learning rate; undo returns to the current one.
  await page.locator(`[data-run-id="${olderId}"]`).getByTestId('run-restore').click();
  await expect(page.getByTestId('runs-view')).toHaveCount(0);
  await selectNode(page, 'train');
  await expect(page.getByTestId('param-learningRate')).toHaveValue('0.005');
  await waitSaved(page);
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('param-learningRate')).toHaveValue('0.05');
});
