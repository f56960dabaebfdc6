/** A node that failed shows as stale (not with its old error) once its params change, until the next run. */
import { expect, openEditor, selectNode, test } from './fixtures';
import { nodeStatus } from './run-helpers';

test('a param fixed after an error clears the error: the node and its downstream show stale until rerun', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  await selectNode(page, 'train');
  const epochs = page.getByTestId('param-epochs');
  await epochs.fill('2');
  await epochs.press('Enter');
  await page.getByTestId('param-task').selectOption('regression');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run failed', { timeout: 180_000 });
  await expect(nodeStatus(page, 'train')).toHaveAttribute('data-status', 'error');
  await expect(page.getByTestId('node-train').getByTestId('node-error')).toContainText('regression needs a numeric target');
  await expect(nodeStatus(page, 'evaluate')).toHaveAttribute('data-status', 'skipped');

  await page.getByTestId('param-task').selectOption('auto');
  await expect(nodeStatus(page, 'train')).toHaveAttribute('data-status', 'stale');
  await expect(nodeStatus(page, 'train')).toContainText('changed since the last run');
  await expect(page.getByTestId('node-train').getByTestId('node-error')).toHaveCount(0);
  await expect(page.getByTestId('output-panel')).not.toContainText('regression needs a numeric target');
  await expect(nodeStatus(page, 'evaluate')).toHaveAttribute('data-status', 'stale');
  // Upstream results are untouched.
  await expect(nodeStatus(page, 'scale')).toHaveAttribute('data-status', 'done');

  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await expect(nodeStatus(page, 'train')).toHaveAttribute('data-status', 'done');
  await expect(nodeStatus(page, 'evaluate')).toHaveAttribute('data-status', 'done');
});
