import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { connect, dragFromPalette, expect, openEditor, openEmptyEditor, selectNode, test, waitSaved } from './fixtures';

async function buildSmallGraph(page: Page): Promise<void> {
  await openEmptyEditor(page);
  await dragFromPalette(page, 'data.sample', 150, 150);
  await dragFromPalette(page, 'prep.roles', 480, 150);
  await connect(page, { node: 'sample-1', port: 'table' }, { node: 'roles-1', port: 'table' });
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await selectNode(page, 'sample-1');
  await page.getByTestId('param-name').selectOption('penguins');
  await page.getByTestId('graph-name').fill('Penguin study');
  await page.getByTestId('graph-name').press('Enter');
}

async function exportText(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await download;
  return readFile((await file.path())!, 'utf8');
}

test('reload restores the open graph exactly: nodes, params, positions, viewport', async ({ page }) => {
  await buildSmallGraph(page);
  // Zoom out with the wheel so the viewport is not the default.
  await page.mouse.move(700, 400);
  await page.mouse.wheel(0, 300);
  // The zoom reaches the store when the wheel gesture ends: wait for that change to be saved,
  // not for the 'Saved' left over from before it.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'pending');
  await waitSaved(page);
  const viewport = page.locator('.react-flow__viewport');
  const transformBefore = await viewport.getAttribute('style');
  const positionsBefore = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => (e as HTMLElement).style.transform));
  await page.reload();
  await expect(page.getByTestId('node-sample-1')).toBeVisible();
  await expect(page.getByTestId('node-roles-1')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.getByTestId('graph-name')).toHaveValue('Penguin study');
  await expect(viewport).toHaveAttribute('style', transformBefore!);
  expect(await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => (e as HTMLElement).style.transform))).toEqual(positionsBefore);
  await selectNode(page, 'sample-1');
  await expect(page.getByTestId('param-name')).toHaveValue('penguins');
  // It is listed among the saved graphs.
  await page.getByTestId('tab-graphs').click();
  await expect(page.getByTestId('graph-item').filter({ hasText: 'Penguin study' })).toBeVisible();
});

test('export then import gives the same graph', async ({ page }) => {
  await buildSmallGraph(page);
  await waitSaved(page);
  const exported = await exportText(page);
  const original = JSON.parse(exported);
  expect(original.format).toBe('pipeline-studio.graph');
  await page.getByTestId('new-graph').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByTestId('import-file').setInputFiles({ name: 'penguins.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(page.getByTestId('node-sample-1')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await waitSaved(page);
  const reimported = JSON.parse(await exportText(page));
  // The import is a new graph (fresh id); everything else is identical.
  expect(reimported.graph.id).not.toBe(original.graph.id);
  delete reimported.graph.id;
  delete original.graph.id;
  expect(reimported).toEqual(original);
});

test('a broken graph file shows located messages and keeps the current graph', async ({ page }) => {
  await buildSmallGraph(page);
  const broken = JSON.stringify({ format: 'pipeline-studio.graph', version: 1, graph: { id: 'x', name: 'Broken', seed: 1, nodes: 'not a list', edges: [] } });
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  const dialog = page.getByTestId('import-error');
  await expect(dialog).toContainText('broken.json is not a valid graph file');
  await expect(dialog).toContainText('graph.nodes');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('node-sample-1')).toBeVisible();
  await expect(page.getByTestId('graph-name')).toHaveValue('Penguin study');

  await page.getByTestId('import-file').setInputFiles({ name: 'syntax.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "format": "pipeline-studio.graph",\n  "version": 1,,\n}') });
  await expect(page.getByTestId('import-error')).toContainText('line 3');
});

test('copy in one graph and paste into another', async ({ page }) => {
  await buildSmallGraph(page);
  await page.locator('.react-flow__pane').click({ position: { x: 300, y: 450 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+c');
  await page.getByTestId('new-graph').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
});

test('two tabs on one graph: the stale tab shows a banner instead of overwriting', async ({ page, context }) => {
  await buildSmallGraph(page);
  await waitSaved(page);
  const other = await context.newPage();
  await openEditor(other);
  await expect(other.getByTestId('node-sample-1')).toBeVisible();
  // Edit in the second tab; the first one learns about it and refuses to overwrite.
  await other.getByTestId('graph-name').fill('Edited elsewhere');
  await other.getByTestId('graph-name').press('Enter');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('conflict-banner')).toBeVisible();
  await page.getByRole('button', { name: 'Reload saved version' }).click();
  await expect(page.getByTestId('graph-name')).toHaveValue('Edited elsewhere');
  await expect(page.getByTestId('conflict-banner')).toHaveCount(0);
  await other.close();
});
