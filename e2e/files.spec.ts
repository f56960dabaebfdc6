/**
 * Files from the user's machine: dropped on the canvas or chosen in a data.file node's
 * inspector, run in the worker (streamed from the File), listed in the Datasets panel.
 */
import { dragFromPalette, expect, openEmptyEditor, selectNode, test } from './fixtures';
import { csv, dropFile, fileNodes, run } from './files-helpers';

test.describe('files from the user’s machine', () => {
  test('a CSV dropped on the canvas becomes a file node; a run shows its table with every row', async ({ page }) => {
    await openEmptyEditor(page);
    await dropFile(page, { name: 'measurements.csv', type: 'text/csv', text: csv(137) });
    await expect(fileNodes(page)).toHaveCount(1);
    const node = fileNodes(page).first();
    await expect(node.locator('.pnode-header')).toContainText('measurements.csv');
    await run(page, 'Run finished');
    await expect(node.getByTestId('node-summary')).toContainText('137 rows × 3 cols');
    await node.locator('.pnode-header').click();
    const table = page.getByTestId('output-panel').getByTestId('view-table').first();
    await expect(table).toContainText('137 rows × 3 columns');
    await expect(table.locator('th').first()).toContainText('id');
    await expect(table.locator('tbody tr').first().locator('td').nth(2)).toHaveText('green');
  });

  test('dropping a TSV on an existing file node re-points it; the file input in the inspector picks one too', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'data.file', 250, 180);
    await expect(fileNodes(page)).toHaveCount(1);
    const id = (await fileNodes(page).first().getAttribute('data-testid'))!.replace(/^node-/, '');
    await selectNode(page, id);
    await expect(page.getByTestId('picked-file-name')).toContainText('none');
    await page.getByTestId('file-input').setInputFiles({ name: 'picked.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(12)) });
    await expect(page.getByTestId('picked-file-name')).toHaveText('picked.csv');
    await run(page, 'Run finished');
    await expect(fileNodes(page).first().getByTestId('node-summary')).toContainText('12 rows × 3 cols');

    await dropFile(page, { name: 'tabs.tsv', type: 'text/tab-separated-values', text: 'a\tb\n1\t2\n3\t4\n' }, { x: 0, y: 0 }, `[data-testid="node-${id}"] .pnode-header`);
    await expect(page.getByTestId('picked-file-name')).toHaveText('tabs.tsv');
    await expect(fileNodes(page)).toHaveCount(1);
    await run(page, 'Run finished');
    await expect(fileNodes(page).first().getByTestId('node-summary')).toContainText('2 rows × 2 cols');
  });

  test('a ragged or empty CSV fails on its node with a clear message; the app stays usable', async ({ page }) => {
    await openEmptyEditor(page);
    await dropFile(page, { name: 'ragged.csv', type: 'text/csv', text: 'a,b,c\n1,2,3\n4,5\n6,7,8\n' }, { x: 200, y: 150 });
    await dropFile(page, { name: 'empty.csv', type: 'text/csv', text: '' }, { x: 200, y: 420 });
    await expect(fileNodes(page)).toHaveCount(2);
    await run(page, 'Run failed');
    const ragged = fileNodes(page).filter({ hasText: 'ragged.csv' });
    const empty = fileNodes(page).filter({ hasText: 'empty.csv' });
    await expect(ragged.getByTestId('node-error')).toContainText('Row 2 (line 3) has 2 field(s) but the header has 3');
    await expect(empty.getByTestId('node-error')).toContainText('The file is empty');
    // Still usable: a good file dropped next to them runs.
    await dropFile(page, { name: 'fine.csv', type: 'text/csv', text: csv(5) }, { x: 600, y: 150 });
    const fine = fileNodes(page).filter({ hasText: 'fine.csv' });
    await expect(fine).toHaveCount(1);
    await fine.locator('.pnode-header').click();
    await page.getByTestId('run-to-here').click();
    await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 120_000 });
    await expect(fine.getByTestId('node-summary')).toContainText('5 rows × 3 cols');
  });

  test('a file dropped while the engine is still starting runs when Run is pressed at once', async ({ page }) => {
    // Hold the engine worker's script until Run has been pressed: the state a user meets on a
    // busy machine, where the worker takes seconds to load (the Datasets test below met it).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/engine\.worker[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await openEmptyEditor(page);
    await dropFile(page, { name: 'early.csv', type: 'text/csv', text: csv(9) });
    // Run, before the engine has taken the file: the run starts and waits for it.
    await page.getByTestId('run').click();
    await expect(page.getByTestId('run-status')).toHaveText('Running…');
    release();
    await expect(fileNodes(page)).toHaveCount(1);
    await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 120_000 });
    await expect(fileNodes(page).first().getByTestId('node-summary')).toContainText('9 rows × 3 cols');
  });

  test('the Datasets panel lists the stored file (rows, cols, size), previews it and deletes it', async ({ page }) => {
    await openEmptyEditor(page);
    await dropFile(page, { name: 'stored-me.csv', type: 'text/csv', text: csv(64) });
    await run(page, 'Run finished');
    await page.getByTestId('tab-datasets').click();
    const item = page.getByTestId('dataset-item').filter({ hasText: 'stored-me.csv' });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('64 rows · 3 cols');
    await expect(item).toContainText(/\d+(\.\d+)? (B|KB|kB|KiB)/);
    await item.getByRole('button', { name: 'Preview' }).click();
    const preview = item.getByTestId('dataset-preview');
    await expect(preview.locator('thead th')).toHaveText(['id', 'length', 'colour']);
    await expect(preview.locator('tbody tr')).toHaveCount(20);
    await expect(preview.locator('tbody tr').first().locator('td')).toHaveText(['1', '0.3700', 'green']);
    page.once('dialog', (dialog) => void dialog.accept());
    await item.getByRole('button', { name: /Delete dataset/ }).click();
    await expect(page.getByTestId('dataset-item').filter({ hasText: 'stored-me.csv' })).toHaveCount(0);
  });
});
