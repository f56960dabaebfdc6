/** A node that failed shows as stale (not with its old error) once its params change, until the next run. */
import type { Locator } from '@playwright/test';
import { expect, openEditor, selectNode, test } from './fixtures';
import { nodeStatus } from './run-helpers';
import { expectInWindow, nodeInView } from './canvas-helpers';

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

/** The test above runs at 1400×900; at 1024×700 the graph opens smaller: the error and stale lines must still be drawn, in full, on nodes in view. */
test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('the error, then the stale status, read in full on nodes in view, and the field that fixes it is reachable', async ({ page }) => {
    await openEditor(page);
    await selectNode(page, 'train');
    const task = page.getByTestId('param-task');
    await expectInWindow(task, 'the task field');
    await task.selectOption('regression');
    await page.getByTestId('run').click();
    await expect(page.getByTestId('run-status')).toHaveText('Run failed', { timeout: 180_000 });
    const error = page.getByTestId('node-train').getByTestId('node-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('regression needs a numeric target');
    expect(await readsInFull(error), 'the error inside its node').toBe(true);

    await task.selectOption('auto');
    for (const id of ['train', 'evaluate']) {
      const status = nodeStatus(page, id);
      await expect(status).toHaveAttribute('data-status', 'stale');
      // Drawn (not hidden as on a zoomed-out canvas), on a node in view, its words inside the node.
      await expect(status).toBeVisible();
      await expect(status).toContainText(id === 'train' ? 'changed since the last run' : 'an upstream node changed');
      expect(await nodeInView(page, id), `${id} in view`).toBe(true);
      expect(await readsInFull(status.locator('.muted')), `${id}: the stale line inside its node`).toBe(true);
    }
    await expect(error).toHaveCount(0);
  });
});

/** The element is drawn inside its node's border and shows all of its text (nothing cut off). */
function readsInFull(element: Locator): Promise<boolean> {
  return element.evaluate((el) => {
    const node = el.closest('.react-flow__node')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    const inside = box.width > 0 && box.left >= node.left - 0.5 && box.right <= node.right + 0.5 && box.top >= node.top - 0.5 && box.bottom <= node.bottom + 0.5;
    return inside && el.scrollWidth <= el.clientWidth + 1 && getComputedStyle(el).visibility === 'visible';
  });
}
