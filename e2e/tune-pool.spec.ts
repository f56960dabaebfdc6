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

test('cancel stops the trials on every worker, and the next run tunes on the pool again', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmptyEditor(page);
  // A search far too long to finish: 4 trials of 5000 epochs.
  const file = JSON.parse(irisTuneGraphText()) as { graph: { nodes: { id: string; params: Record<string, unknown> }[] } };
  const tune = file.graph.nodes.find((n) => n.id === 'tune')!;
  tune.params = { ...tune.params, epochs: 5000, patience: 1000 };
  await dropFile(page, { name: 'iris-tune.json', type: 'application/json', text: JSON.stringify(file) });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('node-tune').getByTestId('node-status')).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
  // Both trial workers are up (they load tfjs before the first trial starts).
  await expect.poll(() => page.workers().filter((w) => /trial\.worker/.test(w.url())).length, { timeout: 60_000 }).toBe(2);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run cancelled');

  // A short search now: the pool takes it (its workers stopped, or were replaced) and finishes.
  await selectNode(page, 'tune');
  const epochs = page.getByTestId('param-epochs');
  await epochs.fill('4');
  await epochs.press('Enter');
  await run(page, 'Run finished');
  await selectNode(page, 'tune');
  const output = page.getByTestId('output-panel');
  await expect(output.getByTestId('metric-workers')).toContainText('2');
  await expect(output.getByTestId('view-leaderboard').getByTestId('trial-row')).toHaveCount(4);
});
