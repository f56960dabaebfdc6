/** Shared steps for the serving e2e tests and the documentation screenshots. */
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

/** The iris example with a Deploy node (endpoint "iris-graph") and a Monitor node after it. */
export async function importIrisWithDeploy(page: Page): Promise<void> {
  const file = JSON.parse(await readFile(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as {
    graph: { name: string; nodes: object[]; edges: object[] };
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  file.graph.name = 'Iris deployed';
  file.graph.nodes.push(
    { id: 'deploy', type: 'deploy.endpoint', version: 1, params: { name: 'iris-graph', note: 'from the graph' } },
    { id: 'monitor', type: 'monitor.endpoint', version: 1, params: {} },
  );
  file.graph.edges.push(
    { id: 'train.model->deploy.model', from: { node: 'train', port: 'model' }, to: { node: 'deploy', port: 'model' } },
    { id: 'deploy.endpoint->monitor.endpoint', from: { node: 'deploy', port: 'endpoint' }, to: { node: 'monitor', port: 'endpoint' } },
  );
  file.layout.positions.deploy = { x: 0, y: 220 };
  file.layout.positions.monitor = { x: 280, y: 220 };
  await page.getByTestId('import-file').setInputFiles({ name: 'iris-deployed.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('graph-name')).toHaveValue('Iris deployed');
}

/** The deployed iris graph, run, and its monitor opened from the Deploy node's output: the Serving view's endpoint. */
export async function openDeployedMonitor(page: Page): Promise<Locator> {
  await importIrisWithDeploy(page);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await page.getByTestId('node-deploy').locator('.pnode-header').click();
  await page.getByTestId('output-panel').getByTestId('open-monitor').click();
  return page.getByTestId('serving-view').getByTestId('endpoint-iris-graph');
}

/** Replays every iris row through the endpoint with petal length shifted by +2 std: drift the monitor flags. */
export async function replayShiftedIris(endpoint: Locator, rowsPerSecond = 200): Promise<void> {
  const replay = endpoint.getByTestId('replay-form');
  await replay.getByLabel('Partition (seeded 70/15/15)').selectOption('all');
  await replay.getByLabel('Rate (rows per second)').fill(String(rowsPerSecond));
  await replay.getByLabel('Shift', { exact: true }).selectOption('petal length (cm)');
  await replay.getByLabel('Shift amount').fill('+2std');
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(endpoint.getByTestId('replay-progress')).toHaveText(/^150\/150 sent · 150 ok · 0 failed$/, { timeout: 60_000 });
}
