/**
 * The canvas as a new user meets it (issue 12): every graph opens with all its nodes in view
 * at a readable zoom, auto-layout keeps templates compact, zoomed out nodes keep readable
 * titles, the minimap can be hidden and never covers a node, and after a run the result node
 * is selected with its output shown. At 1440×900 and 1024×700.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, openEditor, test, waitSaved } from './fixtures';
import { setEpochs } from './run-helpers';
import { expectOpenedFitted, nodesCovered, nodesOutOfView, SIZES, zoom } from './canvas-helpers';

const TEMPLATES = ['iris-mlp', 'penguins-mlp', 'digits-mlp', 'digits-cnn', 'cars-regression'];
/** Clicks a zoom button and waits until the zoom has changed. */
async function zoomStep(page: Page, button: Locator): Promise<void> {
  const before = await zoom(page);
  await button.click();
  await expect.poll(() => zoom(page)).not.toBe(before);
}

async function openTemplate(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-graph').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByTestId(`template-${name}`).click();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await waitSaved(page);
}

/** An example graph as a graph file, renamed; `viewport` as a graph saved at another window size would carry. */
async function exampleFile(name: string, title: string, viewport?: { x: number; y: number; zoom: number }): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const file = JSON.parse(await readFile(new URL(`../public/examples/${name}.json`, import.meta.url), 'utf8')) as { graph: { name: string }; layout: Record<string, unknown> };
  file.graph.name = title;
  if (viewport) file.layout.viewport = viewport;
  return { name: `${name}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) };
}

/** Opens a graph file through the toolbar's Import… button and its file chooser, as a person would. */
async function importThroughButton(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, title: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import').click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('graph-name')).toHaveValue(title);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('a graph opened by Import or from the Graphs tab opens fitted into the canvas at a readable zoom', async ({ page }) => {
      await openEditor(page);
      // Without a saved viewport (penguins: nine nodes, wider than the canvas at zoom 1).
      await importThroughButton(page, await exampleFile('penguins-mlp', 'Imported penguins'), 'Imported penguins');
      await expectOpenedFitted(page, 'imported without a viewport');
      // Saved zoomed in on a wider screen: that viewport would put nodes past the canvas edge.
      await importThroughButton(page, await exampleFile('iris-mlp', 'Imported iris', { x: 700, y: 450, zoom: 1.6 }), 'Imported iris');
      await expectOpenedFitted(page, 'imported with a viewport from a wider screen');
      await waitSaved(page);

      // Zoomed in until nodes leave the canvas, then another graph opened from the Graphs tab and back.
      const zoomIn = page.getByRole('button', { name: 'Zoom In' });
      while ((await nodesOutOfView(page)).length === 0) await zoomStep(page, zoomIn);
      await waitSaved(page);
      await page.getByTestId('tab-graphs').click();
      const graphs = page.getByTestId('graphs-panel');
      await graphs.getByRole('button', { name: 'Open Imported penguins' }).click();
      await expect(page.getByTestId('graph-name')).toHaveValue('Imported penguins');
      await expectOpenedFitted(page, 'penguins opened from the Graphs tab');
      await graphs.getByRole('button', { name: 'Open Imported iris' }).click();
      await expect(page.getByTestId('graph-name')).toHaveValue('Imported iris');
      await expectOpenedFitted(page, 'iris (left zoomed in) opened from the Graphs tab');
    });

    test('the first visit and every template open with all nodes in view at a readable zoom', async ({ page }) => {
      await openEditor(page);
      await expect.poll(() => nodesOutOfView(page), { message: 'first visit: nodes outside the canvas' }).toEqual([]);
      for (const name of TEMPLATES) {
        await openTemplate(page, name);
        await expect.poll(() => nodesOutOfView(page), { message: `${name}: nodes outside the canvas` }).toEqual([]);
        expect(await nodesCovered(page), `${name}: nodes under the controls or the legend`).toEqual([]);
        // Titles stay readable: at 1440×900 every template shows its details (zoom ≥ 0.45).
        expect(await zoom(page), `${name}: zoom`).toBeGreaterThanOrEqual(size.width >= 1440 ? 0.45 : 0.35);
      }
    });

    test('auto-layout keeps every template compact and in view', async ({ page }) => {
      await openEditor(page);
      for (const name of TEMPLATES) {
        await openTemplate(page, name);
        await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('l');
        await expect.poll(() => nodesOutOfView(page), { message: `${name}: nodes outside the canvas after auto-layout` }).toEqual([]);
        const rows = await page.evaluate(() => new Set([...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => Math.round(n.getBoundingClientRect().top / 20))).size);
        expect(rows, `${name}: laid out in more than one row`).toBeGreaterThan(1);
        if (size.width >= 1440) expect(await zoom(page), `${name}: zoom after auto-layout`).toBeGreaterThanOrEqual(0.45);
      }
    });

    test('the minimap toggles, is remembered across a reload, and never covers a node', async ({ page }) => {
      await openEditor(page);
      await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
      await page.getByTestId('minimap-toggle').click();
      await expect(page.locator('.react-flow__minimap')).toBeVisible();
      await expect(page.getByTestId('minimap-toggle')).toHaveAttribute('aria-pressed', 'true');
      // Shown over the open graph, it covers none of its nodes (the graph moves out from under it).
      await expect.poll(() => nodesCovered(page), { message: 'first visit: nodes under the minimap' }).toEqual([]);
      for (const name of ['penguins-mlp', 'cars-regression']) {
        await openTemplate(page, name);
        await expect.poll(() => nodesOutOfView(page)).toEqual([]);
        await expect.poll(() => nodesCovered(page), { message: `${name}: nodes under the minimap or a control` }).toEqual([]);
      }
      await page.reload();
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      await expect(page.locator('.react-flow__minimap')).toBeVisible();
      await expect.poll(() => nodesCovered(page)).toEqual([]);
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('m');
      await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
      await page.reload();
      await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
    });
  });
}

test.describe('semantic zoom', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('zoomed out, node titles, status and disabled nodes stay readable instead of blank boxes', async ({ page }) => {
    await openEditor(page);
    await page.getByTestId('node-scale').locator('.pnode-header').click({ button: 'right' });
    await page.getByTestId('menu-disable').click();
    await expect(page.getByTestId('node-scale').getByTestId('node-disabled')).toHaveText('disabled');
    const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
    while ((await zoom(page)) >= 0.45) await zoomStep(page, zoomOut);
    const node = page.getByTestId('node-train');
    const far = node.getByTestId('node-far');
    await expect(far).toBeVisible();
    await expect(far).toHaveText('Train model');
    // A disabled node says so in the same large type (its small badge is hidden with the details).
    const scaleFar = page.getByTestId('node-scale').getByTestId('node-far');
    await expect(scaleFar.getByTestId('node-far-disabled')).toBeVisible();
    await expect(scaleFar).toHaveText('⊘ Scale features');
    // Ports and details give way to the title.
    await expect(node.locator('.pnode-port').first()).toBeHidden();
    // Down to the least zoom a graph opens at, the title is drawn at least 10 px tall on screen, inside its node.
    for (;;) {
      const scale = await zoom(page);
      const onScreen = async () => (await far.locator('.far-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))) * (await zoom(page));
      await expect.poll(onScreen, { message: `title size (px on screen) at zoom ${scale}` }).toBeGreaterThanOrEqual(10);
      const fits = () => far.locator('.far-title').evaluate((el) => el.scrollHeight <= el.parentElement!.clientHeight && el.scrollWidth <= el.clientWidth);
      await expect.poll(fits, { message: `title fits its node at zoom ${scale}` }).toBe(true);
      const next = scale / 1.2;
      if (next < 0.35) break;
      await zoomStep(page, zoomOut);
    }
    // Zoomed back in, the details return.
    const zoomIn = page.getByRole('button', { name: 'Zoom In' });
    while ((await zoom(page)) < 0.45) await zoomStep(page, zoomIn);
    await expect(far).toBeHidden();
    await expect(node.locator('.pnode-port').first()).toBeVisible();
  });
});

test.describe('after a run', () => {
  for (const size of SIZES) {
    test(`the node with the last result is selected, in view and its output shown (${size.width}×${size.height})`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.setViewportSize(size);
      await openEditor(page);
      await setEpochs(page, 2);
      await page.getByTestId('run').click();
      await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
      await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
      await expect(page.locator('.react-flow__node.selected')).toHaveAttribute('data-id', 'evaluate');
      await expect(page.getByTestId('metric-accuracy')).toBeVisible();
      await expect.poll(() => nodesOutOfView(page)).not.toContain('evaluate');
    });
  }
});
