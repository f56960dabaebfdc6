/**
 * Nothing stored takes the app down: a record in IndexedDB that the app cannot read is
 * skipped and listed as damaged (export raw / delete), everything else keeps working; a
 * graph that leaves params out, or holds a value of the wrong type, never blanks the page.
 * Bad rows are written straight into IndexedDB, as an extension, a torn write or another
 * version of the app could leave them.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, openEditor, selectNode, test } from './fixtures';

/** Puts rows into the app's database as they are (no validation, no Dexie). */
async function seedRows(page: Page, rows: Record<string, object[]>): Promise<void> {
  await page.evaluate(async (byTable) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pipeline-studio');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tables = Object.keys(byTable);
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(tables, 'readwrite');
      for (const table of tables) for (const row of byTable[table]) tx.objectStore(table).put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, rows);
}

const now = Date.now();
const goodDataset = { id: 'ds-good', name: 'good.csv', hash: 'h-good', rowCount: 2, columns: [{ name: 'x', dtype: 'number' }], bytes: 16, createdAt: now };
const goodModel = {
  id: 'model-good',
  name: 'good-model',
  version: 1,
  createdAt: now,
  metrics: { accuracy: 0.9 },
  target: { name: 'species', task: 'classification', classes: ['a', 'b'] },
  lineage: { createdAt: now },
  trainParams: {},
};

test('a corrupt graph, dataset, model or endpoint row is listed as damaged; the good ones and the graph keep working', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await openEditor(page);
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  const nodesBefore = await page.locator('.react-flow__node').count();
  await seedRows(page, {
    graphs: [{ id: 'graph-bad', name: 'Broken', updatedAt: now, revision: 1, graph: 'garbage' }],
    datasets: [goodDataset, { id: 'ds-bad', name: 'bad.csv', hash: 'h-bad' }],
    datasetData: [{ id: 'ds-good', rowCount: 2, columns: [{ name: 'x', dtype: 'number', float64: new Float64Array([1, 2]).buffer }] }],
    models: [goodModel, { id: 'model-bad', name: 'half-written', createdAt: now }],
    endpoints: [{ name: 'bad-endpoint', versions: 'garbage', live: 1, previous: [], createdAt: now, updatedAt: now }],
  });
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.react-flow__node')).toHaveCount(nodesBefore);

  // Graphs: the good one is listed (it used to empty the list), the damaged one with its actions.
  await page.getByTestId('tab-graphs').click();
  const graphsPanel = page.getByTestId('graphs-panel');
  await expect(graphsPanel.getByTestId('graph-item')).toHaveCount(1);
  await expect(graphsPanel.getByTestId('graph-item')).toContainText('Iris');
  const damagedGraph = graphsPanel.getByTestId('damaged-item');
  await expect(damagedGraph).toHaveCount(1);
  await expect(damagedGraph).toContainText('graph-bad');
  await expect(damagedGraph.getByTestId('damaged-problem')).toContainText('old record shape');
  const download = page.waitForEvent('download');
  await damagedGraph.getByRole('button', { name: 'Export raw graph-bad' }).click();
  const exported = JSON.parse(await readFile((await (await download).path())!, 'utf8'));
  expect(exported).toEqual({ id: 'graph-bad', name: 'Broken', updatedAt: now, revision: 1, graph: 'garbage' });
  await damagedGraph.getByRole('button', { name: 'Delete damaged graph-bad' }).click();
  await expect(graphsPanel.getByTestId('damaged-records')).toHaveCount(0);
  await expect(graphsPanel.getByTestId('graph-item')).toHaveCount(1);

  // Datasets: opening the panel used to blank the page.
  await page.getByTestId('tab-datasets').click();
  const datasetsPanel = page.getByTestId('datasets-panel');
  await expect(datasetsPanel.getByTestId('dataset-item')).toHaveCount(1);
  await expect(datasetsPanel.getByTestId('dataset-item')).toContainText('good.csv');
  await expect(datasetsPanel.getByTestId('damaged-item')).toContainText('ds-bad');
  await expect(datasetsPanel.getByTestId('damaged-problem')).toContainText('rowCount');
  await datasetsPanel.getByTestId('dataset-item').getByRole('button', { name: 'Preview' }).click();
  await expect(datasetsPanel.getByTestId('dataset-preview')).toContainText('x');

  // Models: likewise.
  await page.getByTestId('tab-models').click();
  const modelsPanel = page.getByTestId('models-panel');
  await expect(modelsPanel.getByTestId('model-item')).toHaveCount(1);
  await expect(modelsPanel.getByTestId('model-item')).toContainText('good-model v1');
  await expect(modelsPanel.getByTestId('damaged-item')).toContainText('model-bad');
  await expect(modelsPanel.getByRole('button', { name: 'Export raw model-bad' })).toBeVisible();
  await modelsPanel.getByRole('button', { name: 'Delete damaged model-bad' }).click();
  await expect(modelsPanel.getByTestId('damaged-records')).toHaveCount(0);
  await expect(modelsPanel.getByTestId('model-item')).toHaveCount(1);

  // Endpoints: the service worker still answers the list (it answered 500), and the tab lists the damaged row.
  await page.getByTestId('tab-endpoints').click();
  const endpointsPanel = page.getByTestId('endpoints-panel');
  await expect(endpointsPanel.getByTestId('endpoint-worker')).toHaveAttribute('data-state', 'ready');
  const listed = await page.evaluate(async () => {
    const response = await fetch('/api/endpoints');
    return { status: response.status, body: await response.json() };
  });
  expect(listed).toEqual({ status: 200, body: { endpoints: [] } });
  await expect(endpointsPanel.getByTestId('damaged-item')).toContainText('bad-endpoint');
  await expect(endpointsPanel.getByTestId('damaged-problem')).toContainText('versions');

  // The open graph was never touched.
  await expect(page.locator('.react-flow__node')).toHaveCount(nodesBefore);
});

function graphFile(nodes: { id: string; type: string; params: Record<string, unknown> }[]): string {
  return JSON.stringify({
    format: 'pipeline-studio.graph',
    version: 1,
    graph: { id: 'sparse', name: 'Sparse params', seed: 1, nodes, edges: [] },
    layout: { positions: Object.fromEntries(nodes.map((n, i) => [n.id, { x: 80 + (i % 3) * 260, y: 80 + Math.floor(i / 3) * 200 }])) },
  });
}

test('a graph file that leaves params out opens, and selecting each node shows its settings', async ({ page }) => {
  await openEditor(page);
  const file = graphFile([
    { id: 'url', type: 'data.url', params: {} },
    { id: 'file', type: 'data.file', params: {} },
    { id: 'stored', type: 'data.stored', params: {} },
    { id: 'bin', type: 'features.bin', params: {} },
  ]);
  await page.getByTestId('import-file').setInputFiles({ name: 'sparse.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  for (const id of ['url', 'file', 'stored', 'bin']) {
    await selectNode(page, id);
    await expect(page.getByTestId('inspector-form')).toContainText(id);
    await expect(page.getByTestId('boundary-error')).toHaveCount(0);
  }
  await selectNode(page, 'url');
  await expect(page.getByTestId('param-url')).toHaveValue('');
  await expect(page.getByTestId('node-problems')).toContainText('give a URL');
  // It survives a reload (the stored copy goes through the same path).
  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await selectNode(page, 'stored');
  await expect(page.getByTestId('inspector-form')).toBeVisible();
});

test('a node whose settings cannot be shown shows the error in the inspector and keeps the graph', async ({ page }) => {
  await openEditor(page);
  // Valid as a graph file (params are free-form there), but url is not text.
  const file = graphFile([
    { id: 'odd', type: 'data.url', params: { url: 5 } },
    { id: 'fine', type: 'data.url', params: { url: 'data.csv' } },
  ]);
  await page.getByTestId('import-file').setInputFiles({ name: 'odd.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await selectNode(page, 'odd');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('boundary-error')).toContainText('could not be shown');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(page.getByTestId('output-panel')).toBeVisible();
  // Another node's settings show again.
  await selectNode(page, 'fine');
  await expect(inspector.getByTestId('boundary-error')).toHaveCount(0);
  await expect(page.getByTestId('param-url')).toHaveValue('data.csv');
});

test('a pasted fragment from a newer version is refused with a message', async ({ page }) => {
  await openEditor(page);
  const count = await page.locator('.react-flow__node').count();
  const fragment = JSON.stringify({ format: 'pipeline-studio.graph', version: 9, graph: { id: 'clipboard', name: 'Copied nodes', seed: 0, nodes: [{ id: 'a', type: 'data.url', params: {} }], edges: [] } });
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, fragment);
  await expect(page.getByTestId('toast').filter({ hasText: 'Cannot paste' })).toContainText('version 9, newer than this app reads (1)');
  await expect(page.locator('.react-flow__node')).toHaveCount(count);
});
