/**
 * Editing habits from other node editors (issue 12): right-click menus, a wire dropped on an
 * occupied input replaces the old one, a wire dropped on empty canvas opens quick-add for what
 * can take it, search by the words people use, and node text that never runs past the border.
 * On the iris template (the first visit) at 1440×900.
 */
import type { Page } from '@playwright/test';
import { expect, openEditor, openEmptyEditor, selectNode, test } from './fixtures';
import { csv, dropFile, fileNodes, run } from './files-helpers';
import { emptyPoint, expectInWindow } from './canvas-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

async function centre(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire from a handle to a page point with the mouse. */
async function dragWire(page: Page, fromHandle: string, to: { x: number; y: number }): Promise<void> {
  const start = await centre(page, fromHandle);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + to.x) / 2, (start.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

const edge = (page: Page, id: string) => page.getByTestId(`rf__edge-${id}`);
const nodes = (page: Page) => page.locator('.react-flow__node');

test('right-click a node: duplicate, delete and run to here', async ({ page }) => {
  await openEditor(page);
  await expect(nodes(page)).toHaveCount(7);
  await page.getByTestId('node-scale').locator('.pnode-header').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Node' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await menu.getByRole('menuitem', { name: /Duplicate/ }).click();
  await expect(menu).toBeHidden();
  await expect(nodes(page)).toHaveCount(8);
  await page.keyboard.press('Control+z');
  await expect(nodes(page)).toHaveCount(7);

  // Delete acts on the node right-clicked (it becomes the selection), and takes its wires along.
  await page.getByTestId('node-split').locator('.pnode-header').click({ button: 'right' });
  await page.getByTestId('menu-delete').click();
  await expect(page.getByTestId('node-split')).toHaveCount(0);
  await expect(nodes(page)).toHaveCount(6);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  await page.keyboard.press('Control+z');
  await expect(nodes(page)).toHaveCount(7);

  // Escape closes the menu without doing anything.
  await page.getByTestId('node-roles').locator('.pnode-header').click({ button: 'right' });
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(nodes(page)).toHaveCount(7);

  await page.getByTestId('node-roles').locator('.pnode-header').click({ button: 'right' });
  await page.getByTestId('menu-run-to-here').click();
  await expect(page.getByTestId('node-roles').getByTestId('node-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('node-train').getByTestId('node-status')).toHaveAttribute('data-status', /idle|stale/);
});

test('right-click a node: disable it, and it and its downstream do not run (saying why); enable it and all run; each is one undo step', async ({ page }) => {
  await openEditor(page);
  const status = (id: string) => page.getByTestId(`node-${id}`).getByTestId('node-status');
  const badge = page.getByTestId('node-scale').getByTestId('node-disabled');
  await page.getByTestId('node-scale').locator('.pnode-header').click({ button: 'right' });
  await page.getByTestId('menu-disable').click();
  await expect(badge).toHaveText('disabled');
  await expect(page.getByTestId('node-scale')).toHaveClass(/\bdisabled\b/);

  await run(page, 'Run finished');
  for (const id of ['data', 'roles', 'split', 'spec']) await expect(status(id)).toHaveAttribute('data-status', /done|cached/);
  await expect(status('scale')).toHaveAttribute('data-status', 'skipped');
  await expect(status('scale')).toContainText('disabled');
  for (const id of ['train', 'evaluate']) {
    await expect(status(id)).toHaveAttribute('data-status', 'skipped');
    await expect(status(id)).toContainText('not run: Scale features is disabled');
  }
  await expect(page.getByTestId('node-train').getByTestId('node-error')).toHaveCount(0);

  await page.getByTestId('node-scale').locator('.pnode-header').click({ button: 'right' });
  await expect(page.getByTestId('menu-disable')).toHaveCount(0);
  await page.getByTestId('menu-enable').click();
  await expect(badge).toHaveCount(0);
  await run(page, 'Run finished');
  for (const id of ['data', 'roles', 'split', 'spec', 'scale', 'train', 'evaluate']) await expect(status(id)).toHaveAttribute('data-status', /done|cached/);

  // Undo takes back the enable, then the disable: one step each.
  await page.keyboard.press('Control+z');
  await expect(badge).toHaveText('disabled');
  await page.keyboard.press('Control+z');
  await expect(badge).toHaveCount(0);
  await expect(nodes(page)).toHaveCount(7);
});

test('right-click the canvas: add a node there, paste there, auto-layout', async ({ page }) => {
  await openEditor(page);
  const spot = await emptyPoint(page);
  await page.mouse.click(spot.x, spot.y, { button: 'right' });
  const menu = page.getByRole('menu', { name: 'Canvas' });
  await expect(menu).toBeVisible();
  await page.getByTestId('menu-add-node').click();
  await expect(page.getByTestId('quick-add')).toBeVisible();
  await page.keyboard.type('standardize');
  await page.keyboard.press('Enter');
  const added = page.getByTestId('node-scale-1');
  await expect(added).toBeVisible();
  // It lands where the menu was opened.
  const box = (await added.boundingBox())!;
  expect(Math.abs(box.x - spot.x)).toBeLessThan(box.width);
  expect(Math.abs(box.y - spot.y)).toBeLessThan(box.height);

  // Copy it, then paste at another empty spot from the menu.
  await page.keyboard.press('Control+c');
  const other = await emptyPoint(page);
  await page.mouse.click(other.x, other.y, { button: 'right' });
  await page.getByTestId('menu-paste').click();
  await expect(page.getByTestId('node-scale-2')).toBeVisible();
  await expect(nodes(page)).toHaveCount(9);

  const again = await emptyPoint(page);
  await page.mouse.click(again.x, again.y, { button: 'right' });
  await page.getByTestId('menu-auto-layout').click();
  // Laid out: no two nodes overlap.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const boxes = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
        return boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
      }),
    )
    .toBe(false);
});

test('a wire dropped on an occupied input replaces the old wire, in one undo step', async ({ page }) => {
  await openEditor(page);
  await expect(edge(page, 'scale.data->train.data')).toHaveCount(1);
  const target = await centre(page, 'handle-train-in-data');
  await dragWire(page, 'handle-split-out-data', target);
  await expect(edge(page, 'e:split.data->train.data')).toHaveCount(1);
  await expect(edge(page, 'scale.data->train.data')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(7);
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(edge(page, 'scale.data->train.data')).toHaveCount(1);
  await expect(edge(page, 'e:split.data->train.data')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(7);
});

test('a wire dropped on empty canvas offers the nodes that can take it and connects the one chosen', async ({ page }) => {
  await openEditor(page);
  await dragWire(page, 'handle-spec-out-spec', await emptyPoint(page));
  const quickAdd = page.getByTestId('quick-add');
  await expect(quickAdd).toBeVisible();
  // A model spec feeds Train and Tune only.
  await expect(quickAdd.getByRole('option')).toHaveText([/Train model/, /Tune hyperparameters/]);
  await page.keyboard.type('tune');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-search-1')).toBeVisible();
  await expect(edge(page, 'e:spec.spec->search-1.spec')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge')).toHaveCount(8);
  // Node and wire came in one step.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-search-1')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(7);

  // From an input backwards: what can feed a model input.
  await dragWire(page, 'handle-evaluate-in-model', await emptyPoint(page));
  await expect(quickAdd.getByRole('option')).toHaveText([/Train model/, /Tune hyperparameters/]);
  await page.keyboard.press('Escape');
  await expect(quickAdd).toBeHidden();
});

test('search finds nodes by the words people use, and says when a method is not available', async ({ page }) => {
  await openEditor(page);
  await page.getByTestId('tab-nodes').click();
  const search = page.getByLabel('Search nodes');
  for (const [query, type] of [
    ['standardize', 'prep.scale'],
    ['normalize', 'prep.scale'],
    ['StandardScaler', 'prep.scale'],
    ['one-hot', 'prep.encode'],
    ['train test split', 'prep.split'],
  ]) {
    await search.fill(query);
    await expect(page.getByTestId(`palette-${type}`), `"${query}" finds ${type}`).toBeVisible();
  }
  for (const query of ['random forest', 'xgboost']) {
    await search.fill(query);
    await expect(page.getByTestId('search-unavailable')).toContainText('not available');
    await expect(page.getByTestId('search-unavailable')).toContainText('Neural network (MLP)');
    await expect(page.getByTestId('palette-model.mlp')).toBeVisible();
    await expect(page.getByTestId('palette-model.logistic')).toBeVisible();
  }
  await search.fill('scale');
  await expect(page.getByTestId('search-unavailable')).toHaveCount(0);
});

test('node text never runs past the node border; the full text is in a tooltip', async ({ page }) => {
  await openEmptyEditor(page);
  const name = `${'quarterly_sales_by_region_and_channel_'.repeat(3)}final.csv`;
  await dropFile(page, { name, type: 'text/csv', text: csv(12) });
  await expect(fileNodes(page)).toHaveCount(1);
  const node = fileNodes(page).first();
  const id = (await node.getAttribute('data-testid'))!.replace(/^node-/, '');
  await selectNode(page, id);
  await page.locator('#node-label').fill('A very long node label that says far more than a node header can hold');
  await page.locator('#node-label').blur();
  await run(page, 'Run finished');
  const summary = node.getByTestId('node-summary');
  await expect(summary).toContainText('quarterly_sales');
  await expect(summary).toHaveAttribute('title', new RegExp(name.replace(/\./g, '\\.')));
  await expect(node.locator('.pnode-header .title')).toHaveAttribute('title', /says far more than a node header can hold/);
  const overflow = await node.evaluate((el) => {
    const border = el.getBoundingClientRect();
    const parts = [el, ...el.querySelectorAll<HTMLElement>('.pnode-header, .pnode-ports, .pnode-status')];
    // Handles straddle the border by design (half outside): measured without them.
    const handles = [...el.querySelectorAll<HTMLElement>('.react-flow__handle')];
    for (const handle of handles) handle.style.display = 'none';
    const scrolling = parts.filter((p) => p.scrollWidth > p.clientWidth).map((p) => p.className);
    for (const handle of handles) handle.style.display = '';
    return {
      scrolling,
      outside: [...el.querySelectorAll<HTMLElement>('*')]
        .filter((child) => !child.classList.contains('react-flow__handle') && child.getBoundingClientRect().width > 0)
        .filter((child) => child.getBoundingClientRect().right > border.right + 0.5)
        .map((child) => child.className || child.tagName),
    };
  });
  expect(overflow.scrolling, 'node parts wider than their box').toEqual([]);
  expect(overflow.outside, 'node content past the right border').toEqual([]);
});

/** The tests above run at 1440×900; at 1024×700 the menus and quick-add, opened low on the smaller canvas, must stay inside the window and usable. */
test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('the node and canvas menus and quick-add open inside the window, and quick-add adds the node chosen', async ({ page }) => {
    await openEditor(page);
    await page.getByTestId('node-evaluate').locator('.pnode-header').click({ button: 'right' });
    const nodeMenu = page.getByRole('menu', { name: 'Node' });
    await expect(nodeMenu).toBeVisible();
    await expectInWindow(nodeMenu, 'the node menu');
    await page.keyboard.press('Escape');
    await expect(nodeMenu).toBeHidden();

    // Low on the canvas (the first empty spot from its bottom right), where quick-add would run past the window's bottom.
    const spot = await emptyPoint(page);
    await page.mouse.click(spot.x, spot.y, { button: 'right' });
    const menu = page.getByRole('menu', { name: 'Canvas' });
    await expectInWindow(menu, 'the canvas menu');
    await page.getByTestId('menu-add-node').click();
    const quickAdd = page.getByTestId('quick-add');
    await expect(quickAdd).toBeVisible();
    await expectInWindow(quickAdd, 'quick-add');
    await page.keyboard.type('standardize');
    await expect(quickAdd.getByRole('option').first()).toBeVisible();
    await expectInWindow(quickAdd.getByRole('option').first(), 'the first match');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('node-scale-1')).toBeVisible();
  });
});
