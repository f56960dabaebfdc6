/**
 * What survives a reload, and what never leaks between graphs: a graph built on a dropped
 * file keeps running from the file's stored copy; the last run's results come back marked
 * "from last run"; a new graph whose node ids repeat the old ones shows none of its results.
 */
import type { Page } from '@playwright/test';
import { connect, dragFromPalette, expect, openEmptyEditor, selectNode, test, waitSaved } from './fixtures';
import { csv, dropFile, fileNodes, run } from './files-helpers';

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await waitSaved(page);
}

/** A dropped CSV feeding a Roles node with `colour` as its target; returns the file node's id. */
async function buildOnDroppedFile(page: Page, name: string, rows: number): Promise<string> {
  await openEmptyEditor(page);
  await dropFile(page, { name, type: 'text/csv', text: csv(rows) }, { x: 200, y: 150 });
  await expect(fileNodes(page)).toHaveCount(1);
  const fileId = (await fileNodes(page).first().getAttribute('data-testid'))!.replace(/^node-/, '');
  await dragFromPalette(page, 'prep.roles', 600, 150);
  await connect(page, { node: fileId, port: 'table' }, { node: 'roles-1', port: 'table' });
  await selectNode(page, fileId);
  await page.getByTestId('run-to-here').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 120_000 });
  await selectNode(page, 'roles-1');
  // The picker is a text box until the upstream columns arrive from the worker (one round trip).
  await expect(page.getByTestId('param-target').locator('option', { hasText: 'colour' })).toHaveCount(1);
  await page.getByTestId('param-target').selectOption('colour');
  await waitSaved(page);
  return fileId;
}

test.describe('what survives a reload', () => {
  test('a graph on a dropped CSV runs after a reload from the stored copy; once that copy is deleted the node says so and a new pick fixes it', async ({ page }) => {
    const fileId = await buildOnDroppedFile(page, 'measurements.csv', 40);
    await run(page, 'Run finished');

    await reload(page);
    await run(page, 'Run finished');
    const file = page.getByTestId(`node-${fileId}`);
    await expect(file.getByTestId('node-status')).toHaveAttribute('data-status', 'done');
    await expect(file.getByTestId('node-summary')).toContainText('measurements.csv: 40 rows × 3 cols');
    await expect(page.getByTestId('node-roles-1').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
    await selectNode(page, fileId);
    await expect(page.getByTestId('picked-file-name')).toHaveText('measurements.csv');
    await expect(page.getByTestId('stored-copy')).toHaveText('stored copy: 40 rows × 3 cols');

    // Deleting the stored dataset is the one way to lose it: the node says so after a reload.
    await page.getByTestId('tab-datasets').click();
    const item = page.getByTestId('dataset-item').filter({ hasText: 'measurements.csv' });
    page.once('dialog', (dialog) => void dialog.accept());
    await item.getByRole('button', { name: /Delete dataset/ }).click();
    await expect(item).toHaveCount(0);
    await reload(page);
    await run(page, 'Run failed');
    await expect(file.getByTestId('node-error')).toContainText('The stored copy of this file is gone');
    await expect(file.getByTestId('node-error')).toContainText('choose the file again');
    await selectNode(page, fileId);
    await expect(page.getByTestId('stored-copy')).toContainText('choose the file again');
    await page.getByTestId('file-input').setInputFiles({ name: 'measurements.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(40)) });
    await expect(page.getByTestId('stored-copy')).toHaveText('stored when the node first runs');
    await run(page, 'Run finished');
    await expect(file.getByTestId('node-summary')).toContainText('40 rows × 3 cols');
  });

  test('after a reload the last run’s results are back on their nodes, marked “from last run”, until the next run', async ({ page }) => {
    const fileId = await buildOnDroppedFile(page, 'restored.csv', 25);
    await run(page, 'Run finished');

    await reload(page);
    const file = page.getByTestId(`node-${fileId}`);
    await expect(file.getByTestId('node-restored')).toHaveText('from last run');
    await expect(file.getByTestId('node-status')).toHaveAttribute('data-status', 'done');
    await expect(file.getByTestId('node-summary')).toContainText('restored.csv: 25 rows × 3 cols');
    await expect(page.getByTestId('node-roles-1').getByTestId('node-restored')).toHaveText('from last run');
    await selectNode(page, fileId);
    const output = page.getByTestId('output-panel');
    await expect(output.getByTestId('output-restored')).toContainText('From the last run');
    await expect(output.getByTestId('view-table').first()).toContainText('25 rows × 3 columns');
    // The column pickers below list the restored columns.
    await selectNode(page, 'roles-1');
    await expect(page.getByTestId('param-target')).toHaveValue('colour');
    await expect(page.getByTestId('param-target').locator('option', { hasText: 'length' })).toHaveCount(1);

    // An edited node's restored output is not its output any more.
    await selectNode(page, fileId);
    await page.getByTestId('param-delimiter').fill(';');
    await page.getByTestId('param-delimiter').press('Enter');
    await expect(output.getByTestId('node-output')).toContainText('No output yet');
    await expect(file.getByTestId('node-restored')).toHaveCount(0);
    await expect(file.getByTestId('node-status')).toHaveAttribute('data-status', 'idle');
    await expect(page.getByTestId('node-roles-1').getByTestId('node-restored')).toHaveCount(0);
    // Undone, the saved result is valid again.
    await page.getByTestId('param-delimiter').fill('');
    await page.getByTestId('param-delimiter').press('Enter');
    await expect(output.getByTestId('output-restored')).toBeVisible();
    await expect(file.getByTestId('node-restored')).toHaveText('from last run');

    await run(page, 'Run finished');
    await expect(page.locator('[data-testid="node-restored"]')).toHaveCount(0);
    await expect(output.getByTestId('output-restored')).toHaveCount(0);
    await expect(output.getByTestId('view-table').first()).toContainText('25 rows × 3 columns');
  });

  test('a new graph whose node ids repeat the last one’s shows none of its columns or tables', async ({ page }) => {
    const fileId = await buildOnDroppedFile(page, 'first.csv', 30);
    await run(page, 'Run finished');
    await selectNode(page, fileId);
    await expect(page.getByTestId('output-panel').getByTestId('view-table').first()).toContainText('colour');

    await page.getByTestId('new-graph').click();
    await expect(page.locator('.react-flow__node')).toHaveCount(0);
    await waitSaved(page);
    await dropFile(page, { name: 'second.csv', type: 'text/csv', text: 'alpha,beta\n1,x\n2,y\n' }, { x: 200, y: 150 });
    await expect(fileNodes(page)).toHaveCount(1);
    // The same ids as in the first graph: results must be told apart by graph, not by id.
    await expect(page.getByTestId(`node-${fileId}`)).toHaveCount(1);
    await dragFromPalette(page, 'prep.roles', 600, 150);
    await connect(page, { node: fileId, port: 'table' }, { node: 'roles-1', port: 'table' });

    await selectNode(page, 'roles-1');
    // Before any run the pickers list its own file's header (alpha, beta), never the first graph's columns.
    await expect(page.getByTestId('inspector-form')).toHaveAttribute('data-columns', '2');
    await expect(page.getByTestId('param-target').locator('option', { hasText: 'alpha' })).toHaveCount(1);
    await expect(page.getByTestId('param-target').locator('option', { hasText: 'colour' })).toHaveCount(0);
    await selectNode(page, fileId);
    const output = page.getByTestId('output-panel').getByTestId('node-output');
    await expect(output).toHaveAttribute('data-state', 'loaded');
    await expect(output).toContainText('No output yet');
    await expect(output.getByTestId('view-table')).toHaveCount(0);

    // Its own run lists its own columns.
    await page.getByTestId('run-to-here').click();
    await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 120_000 });
    await selectNode(page, 'roles-1');
    await expect(page.getByTestId('inspector-form')).toHaveAttribute('data-columns', '2');
    await expect(page.getByTestId('param-target').locator('option', { hasText: 'colour' })).toHaveCount(0);
    await expect(page.getByTestId('param-target').locator('option', { hasText: 'alpha' })).toHaveCount(1);
  });
});
