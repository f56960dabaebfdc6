/** "New from data": a dropped CSV becomes an editable pipeline that runs; cross-validation shows mean ± sd on its node. */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openEmptyEditor, test, waitSaved } from './fixtures';
import { run } from './files-helpers';
import { expectInWindow, nodesOutOfView, SIZES } from './canvas-helpers';

/** 120 flowers-like rows: two measurements (one with gaps), a category, and a class that follows them. */
function plants(): string {
  const lines = ['height,width,soil,kind'];
  for (let i = 0; i < 120; i++) {
    const kind = ['fern', 'moss', 'palm'][i % 3];
    const height = (i % 3) * 4 + ((i * 7) % 10) / 10;
    const width = (i % 3) * 2 + ((i * 3) % 10) / 10;
    lines.push(`${i % 13 === 0 ? '' : height.toFixed(2)},${width.toFixed(2)},${['clay', 'sand'][i % 2]},${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

async function dropOn(page: Page, selector: string, file: { name: string; type: string; text: string }): Promise<void> {
  const dataTransfer = await page.evaluateHandle((f) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([f.text], f.name, { type: f.type }));
    return transfer;
  }, file);
  await page.locator(selector).dispatchEvent('dragover', { dataTransfer });
  await page.locator(selector).dispatchEvent('drop', { dataTransfer });
}

test('New from data: drop a CSV, pick the target, build, run → test metrics and 5-fold CV mean ± sd on the nodes', async ({ page }) => {
  test.setTimeout(300_000);
  await openEmptyEditor(page);
  // From the Graphs tab (the empty canvas's own button is tested below).
  await page.getByTestId('tab-graphs').click();
  await page.getByTestId('graphs-panel').getByTestId('new-from-data-button').click();
  const dialog = page.getByTestId('new-from-data');
  await expect(dialog).toBeVisible();
  await dropOn(page, '[data-testid="auto-dropzone"]', { name: 'plants.csv', type: 'text/csv', text: plants() });
  await expect(dialog.getByTestId('auto-file')).toHaveText('plants.csv: 120 rows × 4 columns');
  const target = dialog.getByTestId('auto-target');
  await expect(target.locator('option')).toHaveText(['(choose the target column)', 'height (number)', 'width (number)', 'soil (category)', 'kind (category)']);
  await target.selectOption('kind');
  await expect(dialog.getByTestId('auto-task')).toHaveText('Classification');
  const plan = dialog.getByTestId('auto-plan');
  await expect(plan).toContainText('Missing values: 1 numeric column had gaps (height 10)');
  await expect(plan).toContainText('Encode: one-hot for soil (2)');
  await dialog.getByTestId('auto-build').click();
  await expect(dialog).toHaveCount(0);

  // A normal graph: every step a node, each saying why it is there.
  await expect(page.locator('[data-node-type="prep.missing"]')).toContainText('Impute median: 1 column had gaps');
  await expect(page.locator('[data-node-type="prep.encode"]')).toContainText('One-hot: soil');
  await expect(page.locator('[data-node-type="prep.roles"]')).toContainText('Target: kind (classification)');
  await expect(page.locator('[data-node-type="tune.search"]')).toHaveCount(1);

  await run(page, 'Run finished');
  const evaluate = page.locator('[data-node-type="evaluate.metrics"]').getByTestId('node-summary');
  await expect(evaluate).toHaveText(/^accuracy [01]\.\d{3} on test \(\d+ rows\)$/);
  const cv = page.locator('[data-node-type="evaluate.cv"]').getByTestId('node-summary');
  await expect(cv).toHaveText(/^5-fold CV accuracy [01]\.\d{3} ± 0\.\d{3}$/);
  const [mean] = /[01]\.\d{3}/.exec(await cv.innerText())!;
  expect(Number(mean)).toBeGreaterThan(0.8);
  // Permutation importance of the tuned model, as a bar per feature.
  await page.locator('[data-node-type="evaluate.importance"]').click();
  await expect(page.getByTestId('importance-chart')).toBeVisible();
  await expect(page.locator('[data-testid="importance-bar"][data-feature="height"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="importance-bar"][data-feature="width"]')).toHaveCount(1);
  // The CV output: mean ± sd per metric, how the folds were scored, and each fold.
  await page.locator('[data-node-type="evaluate.cv"]').click();
  await expect(page.getByTestId('metric-accuracy')).toContainText('±');
  const folds = page.getByTestId('cv-folds');
  await expect(folds).toContainText('learned again in each fold');
  await expect(folds.locator('tbody tr')).toHaveCount(5);
  // The tune node ranked its finalists by 5-fold CV: the leaderboard shows their CV mean ± sd.
  await expect(page.locator('[data-node-type="tune.search"]').getByTestId('node-summary')).toContainText('ranked by 5-fold CV on the non-test rows');
  await page.locator('[data-node-type="tune.search"]').click();
  const board = page.getByTestId('output-panel').getByTestId('view-leaderboard');
  await expect(board).toContainText('ranked by 5-fold CV accuracy on the non-test rows');
  await expect(board.locator('[data-testid="trial-row"][data-status="best"]').getByTestId('trial-cv')).toHaveText(/^[01](\.\d+)? ± \d/);
  if (process.env.SCREENSHOT_DIR) {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `auto-tune-cv-${width}.png`) });
    }
  }
});

test('New from data refuses a file that is not data, and a free-text target, in words', async ({ page }) => {
  await openEmptyEditor(page);
  await page.getByTestId('new-from-data-button').first().click();
  const dialog = page.getByTestId('new-from-data');
  await dropOn(page, '[data-testid="auto-dropzone"]', { name: 'notes.pdf', type: 'application/pdf', text: '%PDF' });
  await expect(dialog).toContainText('notes.pdf is not a data file');
  const rows = Array.from({ length: 80 }, (_, i) => `${i},note number ${i} about something`).join('\n');
  await dropOn(page, '[data-testid="auto-dropzone"]', { name: 'notes.csv', type: 'text/csv', text: `n,note\n${rows}\n` });
  await dialog.getByTestId('auto-target').selectOption('note');
  await expect(dialog).toContainText('Target "note" is free text');
  await expect(dialog.getByTestId('auto-build')).toBeDisabled();
});

for (const size of SIZES) {
  test(`New from data from the empty canvas's own button: the dialog opens, builds, and the graph is editable (${size.width}×${size.height})`, async ({ page }) => {
    await page.setViewportSize(size);
    await openEmptyEditor(page);
    const button = page.locator('.empty-canvas').getByTestId('new-from-data-button');
    await expect(button).toBeVisible();
    await expectInWindow(button, 'the empty canvas’s New from data button');
    await button.click();
    const dialog = page.getByTestId('new-from-data');
    await expect(dialog).toBeVisible();
    await expectInWindow(dialog, 'the New from data dialog');
    // The file dropped on the dialog is the dialog's: the canvas behind it (the button's parent) gets no node.
    await dropOn(page, '[data-testid="auto-dropzone"]', { name: 'plants.csv', type: 'text/csv', text: plants() });
    await expect(dialog.getByTestId('auto-file')).toHaveText('plants.csv: 120 rows × 4 columns');
    await dialog.getByTestId('auto-target').selectOption('kind');
    await expect(dialog.getByTestId('auto-task')).toHaveText('Classification');
    await expect(page.getByTestId('node-count')).toHaveText('0 nodes');
    await expectInWindow(dialog, 'the New from data dialog with its plan');
    await dialog.getByTestId('auto-build').click();
    await expect(dialog).toHaveCount(0);

    // An editable graph, in view: the empty canvas is gone, a node can be selected, deleted and brought back.
    await expect(page.locator('.empty-canvas')).toHaveCount(0);
    await expect(page.locator('[data-node-type="prep.roles"]')).toContainText('Target: kind (classification)');
    await expect.poll(() => nodesOutOfView(page), { message: 'nodes of the built graph outside the canvas' }).toEqual([]);
    await waitSaved(page);
    const count = parseInt(await page.getByTestId('node-count').innerText(), 10);
    expect(count).toBeGreaterThan(5);
    const tune = page.locator('[data-node-type="tune.search"]');
    await tune.locator('.pnode-header').click();
    await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
    await page.keyboard.press('Delete');
    await expect(tune).toHaveCount(0);
    await expect(page.getByTestId('node-count')).toHaveText(`${count - 1} nodes`);
    await page.getByTestId('undo').click();
    await expect(tune).toHaveCount(1);
    await expect(page.getByTestId('node-count')).toHaveText(`${count} nodes`);
    await waitSaved(page);
  });
}
