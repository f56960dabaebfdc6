/**
 * Training data over the training-memory budget (1 GB) is refused before anything is built,
 * with the reason on the Train node in words a user can act on; the app stays usable, and the
 * remedy the message names (a smaller batch) trains.
 *
 * What makes it big is cheap to generate: a classifier's targets are one output per class in
 * every row of a batch, so 65,536 rows × 1 feature with 1,500 classes, in batches of 65,536
 * (the largest the Train node takes), need ~1.1 GB, from a 0.6 MB file. A table that is big by
 * rows or features alone would have to hold about 90 million values (~0.7 GB as Float64 in the
 * worker) to pass the same budget.
 */
import { join } from 'node:path';
import { expect, openEditor, selectNode, test, waitSaved } from './fixtures';
import { dropFile } from './files-helpers';
import { nodeStatus } from './run-helpers';

const ROWS = 65_536;
const CLASSES = 1_500;

/** x, and a label c0..c1499 that x predicts (every class on the rows: a category column). */
function manyClasses(): string {
  const lines = ['x,label'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i % CLASSES}.5,c${i % CLASSES}`);
  return `${lines.join('\n')}\n`;
}

function graphFile(): string {
  const nodes = [
    // 1,500 labels read as free text; the user says the column is a category, as the Roles node asks.
    { id: 'data', type: 'data.file', params: { typeOverrides: { label: 'category' } } },
    { id: 'roles', type: 'prep.roles', params: { target: 'label' } },
    { id: 'spec', type: 'model.mlp', params: { layers: [16] } },
    { id: 'train', type: 'train.fit', params: { epochs: 1, batchSize: ROWS, earlyStopping: false } },
  ];
  const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  return JSON.stringify({
    format: 'pipeline-studio.graph',
    version: 1,
    graph: { id: 'many-classes', name: 'Many classes', seed: 1, nodes, edges: [edge('data', 'table', 'roles', 'table'), edge('roles', 'data', 'train', 'data'), edge('spec', 'spec', 'train', 'spec')] },
    layout: { positions: { data: { x: 60, y: 80 }, roles: { x: 360, y: 80 }, spec: { x: 360, y: 320 }, train: { x: 660, y: 200 } } },
  });
}

test('training data over the 1 GB budget: the Train node refuses with the reason and the remedy; a smaller batch then trains', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'many-classes.json', mimeType: 'application/json', buffer: Buffer.from(graphFile()) });
  await expect(page.getByTestId('graph-name')).toHaveValue('Many classes');
  await dropFile(page, { name: 'many-classes.csv', type: 'text/csv', text: manyClasses() }, undefined, '[data-testid="node-data"]');
  await expect(page.getByTestId('node-data').locator('.pnode-header')).toContainText('many-classes.csv');

  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run failed', { timeout: 120_000 });
  await expect(nodeStatus(page, 'data').getByTestId('node-summary')).toContainText(`many-classes.csv: ${ROWS} rows × 2 cols`);
  const train = nodeStatus(page, 'train');
  await expect(train).toHaveAttribute('data-status', 'error');
  await expect(train.getByTestId('node-error')).toContainText(
    'the training data does not fit: 65,536 rows × 1 feature and 1,500 classes (one output each) need about 1,127 MB (batches of 65,536 rows built from the columns), more than the 1,024 MB budget. Sample rows (Sample node), drop features, or lower the batch size.',
  );
  // Its long toast lies over the canvas's column, at 1024×700 too: it covers neither the side panel nor the inspector.
  await selectNode(page, 'train');
  for (const [width, height] of [[1400, 900], [1024, 700]]) {
    await page.setViewportSize({ width, height });
    const toast = page.getByTestId('toast').filter({ hasText: /^Train model: the training data does not fit/ });
    await expect(toast).toHaveCount(1);
    await expect
      .poll(async () => {
        const [box, column] = [await toast.boundingBox(), await page.getByTestId('panel-center').boundingBox()];
        return box !== null && column !== null && box.x >= column.x && box.x + box.width <= column.x + column.width;
      }, { message: `at ${width}×${height} the toast lies inside the canvas's column` })
      .toBe(true);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  if (process.env.SCREENSHOT_DIR) {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `training-memory-refusal-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  }

  // Still usable: the Train node's settings open, the batch size goes down, and the run trains.
  await selectNode(page, 'train');
  const batch = page.getByTestId('param-batchSize');
  await batch.fill('256');
  await batch.press('Enter');
  await waitSaved(page);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await expect(train.getByTestId('node-summary')).toContainText(/^1 epochs, loss \d/);
  expect(await page.getByTestId('node-error').allInnerTexts(), 'node errors').toEqual([]);
});
