/** Tune trials run on a pool of Web Workers started by the engine worker (one per core), and the results come back to the node. */
import { join } from 'node:path';
import { expect, openEmptyEditor, selectNode, test } from './fixtures';
import { dropFile, run } from './files-helpers';
import { irisTuneGraphText } from './tune-graph';

test('a tune graph runs its trials on two workers and shows every trial', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmptyEditor(page);
  await dropFile(page, { name: 'iris-tune.json', type: 'application/json', text: irisTuneGraphText() });
  await expect(page.getByTestId('node-tune')).toBeVisible();
  await run(page, 'Run finished');
  // Chromium here reports 2 cores: the engine worker started two trial workers.
  expect(page.workers().filter((w) => /trial\.worker/.test(w.url())).length).toBe(2);
  await selectNode(page, 'tune');
  const output = page.getByTestId('output-panel');
  await expect(output.getByTestId('metric-workers')).toContainText('2');
  await expect(output.getByTestId('metric-trials')).toContainText('4');
  const board = output.getByTestId('view-leaderboard');
  await expect(board.getByTestId('trial-row')).toHaveCount(4);
  await expect(board.locator('[data-testid="trial-row"][data-status="best"]')).toHaveCount(1);
  // The tuned model went on to the evaluate node.
  await expect(page.getByTestId('node-evaluate').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
  if (process.env.SCREENSHOT_DIR) {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `tune-pool-${width}.png`) });
    }
  }
});
