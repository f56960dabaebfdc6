/** Feature importance and calibration in the output panel; a warning line when evaluated rows were seen by a step fitted before the split. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openEmptyEditor, selectNode, test } from './fixtures';
import { dropFile, run } from './files-helpers';

interface GraphFileJson {
  graph: { id: string; name: string; nodes: { id: string; type: string; params: Record<string, unknown> }[]; edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[] };
  layout: { positions: Record<string, { x: number; y: number }> };
}

const edge = (from: string, to: string) => {
  const [fn, fp] = from.split('.');
  const [tn, tp] = to.split('.');
  return { id: `${from}->${to}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } };
};

/** The iris template with a Feature importance node beside Evaluate; `leaky` scales before the split. */
function irisGraph(leaky: boolean): string {
  const file = JSON.parse(readFileSync(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as GraphFileJson;
  file.graph.id = leaky ? 'iris-leaky' : 'iris-importance';
  file.graph.name = leaky ? 'Iris, scaled before the split' : 'Iris importance';
  for (const node of file.graph.nodes) if (node.id === 'train') node.params = { ...node.params, epochs: 40 };
  file.graph.nodes.push({ id: 'importance', type: 'evaluate.importance', params: { repeats: 3 } });
  file.graph.edges.push(edge('train.model', 'importance.model'), edge('scale.data', 'importance.data'));
  file.layout.positions.importance = { x: 1400, y: 200 };
  if (leaky) {
    file.graph.edges = file.graph.edges.filter((e) => !['roles.data->split.data', 'split.data->scale.data'].includes(`${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`));
    file.graph.edges.push(edge('roles.data', 'scale.data'), edge('scale.data', 'split.data'));
    // Train, evaluate and importance read the split dataset.
    for (const e of file.graph.edges) if (e.from.node === 'scale' && ['train', 'evaluate', 'importance'].includes(e.to.node)) e.from = { node: 'split', port: 'data' };
  }
  return JSON.stringify(file, null, 2);
}

test('feature importance bars and the calibration curve show after a run', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmptyEditor(page);
  await dropFile(page, { name: 'iris-importance.json', type: 'application/json', text: irisGraph(false) });
  await expect(page.getByTestId('node-importance')).toBeVisible();
  await run(page, 'Run finished');
  await selectNode(page, 'importance');
  const chart = page.getByTestId('output-panel').getByTestId('importance-chart');
  await expect(chart).toContainText('drop in accuracy when a feature is shuffled');
  await expect(chart.getByTestId('importance-bar')).toHaveCount(4);
  // Petal measurements carry iris; the most important feature is one of them.
  await expect(chart.getByTestId('importance-bar').first()).toHaveAttribute('data-feature', /petal/);
  await expect(page.getByTestId('output-panel').getByTestId('evaluation-warnings')).toHaveCount(0);
  if (process.env.SCREENSHOT_DIR) {
    for (const [width, height] of [[1440, 900], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `importance-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  }

  await selectNode(page, 'evaluate');
  const calibration = page.getByTestId('output-panel').getByTestId('calibration');
  await expect(calibration).toContainText('Calibration (ECE');
  await expect(calibration.locator('canvas')).toBeVisible();
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'calibration-1400.png') });
});

test('evaluation on rows a step fitted before the split has seen says so in words', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmptyEditor(page);
  await dropFile(page, { name: 'iris-leaky.json', type: 'application/json', text: irisGraph(true) });
  await expect(page.getByTestId('node-importance')).toBeVisible();
  await run(page, 'Run finished');
  await selectNode(page, 'evaluate');
  const warning = page.getByTestId('output-panel').getByTestId('evaluation-warnings');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('These test rows were seen by a fitted step placed before the split — scale (node “scale”)');
  await expect(warning).toContainText('these scores are optimistic');
  await selectNode(page, 'importance');
  await expect(page.getByTestId('output-panel').getByTestId('evaluation-warnings')).toContainText('optimistic');
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'leak-1400.png') });
});
