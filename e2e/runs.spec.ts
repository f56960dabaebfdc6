/**
 * Run history: two runs of the iris template with different learning rates are listed in the
 * Runs view, compared (the learning-rate change, both accuracies, two training curves), and
 * the first one restored as a new revision that undo takes back.
 */
import type { Page } from '@playwright/test';
import { expect, openEditor, selectNode, test, waitSaved } from './fixtures';

/** An accuracy as the tables show it: 1, 0, or 0.9667. */
const ACCURACY = /^(0|1)(\.\d+)?$/;

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
  for (const row of await rows.all()) await expect(row.getByTestId('run-metric-accuracy')).toHaveText(ACCURACY);
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
  await expect(accuracy.locator('td .value')).toHaveText([ACCURACY, ACCURACY]);
  await expect(accuracy.locator('td .delta')).toHaveText(/\([+−±]\d+(\.\d+)?\)$/);
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

test('star and label a run, export the table as CSV, and a lower limit keeps the starred run', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditor(page);
  await setLearningRate(page, '0.005');
  await runToTheEnd(page);
  await setLearningRate(page, '0.05');
  await runToTheEnd(page);
  await page.getByTestId('view-runs').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  const older = rows.nth(1);
  const olderId = await older.getAttribute('data-run-id');

  // Star and label the older run; a label starting with "=" must not become a formula in a spreadsheet.
  await older.getByTestId('run-star').click();
  await expect(page.locator(`[data-run-id="${olderId}"]`).getByTestId('run-star')).toHaveAttribute('aria-pressed', 'true');
  const label = page.locator(`[data-run-id="${olderId}"]`).getByTestId('run-label');
  await label.fill('=baseline, lr "0.005"');
  await label.press('Enter');
  await expect(page.locator(`[data-run-id="${olderId}"]`).getByTestId('run-label')).toHaveValue('=baseline, lr "0.005"');

  // Filter by text and by a metric threshold.
  await page.getByTestId('runs-filter').fill('baseline');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('runs-filter').fill('');
  await page.getByTestId('runs-metric-filter').selectOption({ label: 'accuracy' });
  await page.getByLabel('Metric value').fill('2');
  await expect(rows).toHaveCount(0);
  await page.getByLabel('Metric value').fill('0');
  await expect(rows).toHaveCount(2);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-export').click()]);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = csv.trim().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^run,started,graph,label,starred,status,backend,seed,ms,graph hash,data hashes,.*accuracy/);
  expect(csv).toContain(`"'=baseline, lr ""0.005"""`);

  // A third run, then keep 1 run per graph: asked first, the oldest unstarred run goes, the starred one stays.
  await setLearningRate(page, '0.02');
  await runToTheEnd(page);
  await page.getByTestId('view-runs').click();
  await expect(rows).toHaveCount(3);
  const middleId = await rows.nth(1).getAttribute('data-run-id');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  const keep = page.getByTestId('runs-keep');
  await keep.fill('1');
  await keep.press('Enter');
  await expect(rows).toHaveCount(2);
  expect(asked).toMatch(/deletes 1 older unstarred run\. Starred runs stay/);
  await expect(page.locator(`[data-run-id="${middleId}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-run-id="${olderId}"]`)).toBeVisible();
  // The limit holds for the next run too: it replaces the newest unstarred run.
  const thirdId = await rows.nth(0).getAttribute('data-run-id');
  await setLearningRate(page, '0.03');
  await runToTheEnd(page);
  await page.getByTestId('view-runs').click();
  await expect(page.locator(`[data-run-id="${thirdId}"]`)).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  await expect(page.locator(`[data-run-id="${olderId}"]`)).toBeVisible();
});
