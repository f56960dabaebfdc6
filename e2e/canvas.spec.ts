/**
 * The canvas as a new user meets it (issue 12): every graph opens with all its nodes in view
 * at a readable zoom, auto-layout keeps templates compact, zoomed out nodes keep readable
 * titles, the minimap can be hidden and never covers a node, and after a run the result node
 * is selected with its output shown. At 1440×900 and 1024×700.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openEditor, test, waitSaved } from './fixtures';
import { setEpochs } from './run-helpers';

const TEMPLATES = ['iris-mlp', 'penguins-mlp', 'digits-mlp', 'digits-cnn', 'cars-regression'];
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

/** The canvas zoom, read from React Flow's viewport transform on the page. */
async function zoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  const match = /matrix\(([-\d.e]+)/.exec(transform);
  return match ? Number(match[1]) : 1;
}

/**
 * Ids of the nodes not wholly inside the visible canvas. The canvas draws only the nodes in
 * view, so a node not drawn at all (fewer drawn than the status bar counts) is out of view too.
 */
function nodesOutOfView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const counted = parseInt(document.querySelector('[data-testid="node-count"]')?.textContent ?? '', 10);
    const drawn = document.querySelectorAll('.react-flow__node').length;
    if (drawn !== counted) return [`${counted - drawn} of ${counted} nodes not drawn`];
    const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return box.left < canvas.left || box.top < canvas.top || box.right > canvas.right || box.bottom > canvas.bottom;
      })
      .map((node) => node.dataset.id ?? '?');
  });
}

/** Ids of the nodes whose centre is covered by something else (the minimap, a control, the legend). */
function nodesCovered(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return !hit || !node.contains(hit);
      })
      .map((node) => node.dataset.id ?? '?'),
  );
}

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

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

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
