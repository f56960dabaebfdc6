/** Evaluation output on the cars example (regression): predicted vs actual, residual histogram, an honest split summary. */
import { join } from 'node:path';
import { expect, openEditor, selectNode, test, waitSaved } from './fixtures';
import { run } from './files-helpers';
import { nodeStatus } from './run-helpers';

test('cars (regression): predicted-vs-actual scatter and residual histogram; the split is not called stratified', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  await page.getByTestId('new-graph').click();
  await page.getByTestId('template-cars-regression').click();
  await expect(page.getByTestId('node-evaluate')).toBeVisible();
  await waitSaved(page);
  await selectNode(page, 'train');
  const epochs = page.getByTestId('param-epochs');
  await epochs.fill('30');
  await epochs.press('Enter');
  // Asked to stratify, a numeric target is still split at random, and the summary says so.
  await selectNode(page, 'split');
  await page.getByTestId('param-stratify').check();
  await run(page, 'Run finished');
  await expect(nodeStatus(page, 'split')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('node-split').getByTestId('node-summary')).toContainText(/train \d+ \/ validation 0 \/ test \d+/);
  await expect(page.getByTestId('node-split').getByTestId('node-summary')).not.toContainText('stratified');

  await selectNode(page, 'evaluate');
  const output = page.getByTestId('output-panel');
  await expect(output.getByTestId('metric-r2')).toBeVisible();
  const scatter = output.getByTestId('predicted-vs-actual');
  await expect(scatter).toContainText('Predicted vs actual');
  await expect(scatter.locator('canvas')).toBeVisible();
  await expect(scatter).toContainText('perfect (y = x)');
  const residuals = output.getByTestId('residual-histogram');
  await expect(residuals).toContainText('Residuals (actual − predicted)');
  await expect(residuals.locator('canvas')).toBeVisible();

  if (process.env.SCREENSHOT_DIR) {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await scatter.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `regression-${width}.png`) });
    }
  }
});
