/** The tune node's leaderboard: one row per trial, sortable, best marked; "Use these params" writes a trial into the spec/train nodes (one undo step). */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openEmptyEditor, selectNode, test } from './fixtures';
import { dropFile, run } from './files-helpers';
import { irisTuneGraphText } from './tune-graph';

const scoresOf = async (page: Page) => (await page.getByTestId('trial-score').allInnerTexts()).map(Number);

test('tune leaderboard: rows per trial, sort by the metric, use the best params, undo in one step', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmptyEditor(page);
  await dropFile(page, { name: 'iris-tune.json', type: 'application/json', text: irisTuneGraphText() });
  await expect(page.getByTestId('node-tune')).toBeVisible();
  await run(page, 'Run finished');
  await selectNode(page, 'tune');
  const board = page.getByTestId('output-panel').getByTestId('view-leaderboard');
  await expect(board.getByTestId('trial-row')).toHaveCount(4);
  await expect(board).toContainText('val_loss');
  // Best first, marked.
  const best = board.locator('[data-testid="trial-row"][data-status="best"]');
  await expect(best).toHaveCount(1);
  await expect(best.getByLabel('best trial')).toBeVisible();
  await expect(board.getByTestId('trial-row').first()).toHaveAttribute('data-status', 'best');

  // Sorting by the metric: lowest loss first, then reversed.
  await board.getByTestId('sort-score').click();
  const ascending = await scoresOf(page);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await expect(board.locator('th[aria-sort="ascending"]')).toContainText('val_loss');
  await board.getByTestId('sort-score').click();
  const descending = await scoresOf(page);
  expect(descending).toEqual([...ascending].reverse());
  await expect(board.getByTestId('trial-row').last()).toHaveAttribute('data-status', 'best');
  // By a param column.
  await board.getByTestId('sort-param-learningRate').click();
  await expect(board.locator('th[aria-sort="ascending"]')).toContainText('learningRate');

  const bestLayers = (await best.locator('td').nth(2).innerText()).replace(/[[\]]/g, '').replace(/,/g, ', ');
  const bestRate = await best.locator('td').nth(1).innerText();
  await best.getByTestId('use-trial-params').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Ctrl+Z undoes it' })).toBeVisible();
  await selectNode(page, 'spec');
  await expect(page.getByTestId('param-layers')).toHaveValue(bestLayers);
  await selectNode(page, 'train');
  await expect(page.getByTestId('param-learningRate')).toHaveValue(bestRate);
  await expect(page.getByTestId('node-spec').getByTestId('node-status')).toHaveAttribute('data-status', 'stale');

  // One Ctrl+Z puts both nodes back.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await selectNode(page, 'spec');
  await expect(page.getByTestId('param-layers')).toHaveValue('64, 32');
  await selectNode(page, 'train');
  await expect(page.getByTestId('param-learningRate')).toHaveValue('0.005');

  if (process.env.SCREENSHOT_DIR) {
    await selectNode(page, 'tune');
    await board.getByTestId('sort-score').click();
    await expect(page.getByTestId('toast')).toHaveCount(0);
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await board.scrollIntoViewIfNeeded();
      await expect(board.locator('[data-testid="trial-row"][data-status="best"]')).toBeVisible();
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `tune-leaderboard-${width}.png`) });
    }
  }
});
