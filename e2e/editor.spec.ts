import { connect, dragFromPalette, expect, openEmptyEditor, selectNode, test } from './fixtures';

test.describe('editing the graph', () => {
  test('drag nodes from the palette and connect compatible ports', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'data.sample', 150, 150);
    await expect(page.getByTestId('node-sample-1')).toBeVisible();
    await dragFromPalette(page, 'prep.roles', 500, 150);
    await expect(page.getByTestId('node-roles-1')).toBeVisible();
    await connect(page, { node: 'sample-1', port: 'table' }, { node: 'roles-1', port: 'table' });
    await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  });

  test('refuses an incompatible connection and says why', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'data.sample', 150, 150);
    await dragFromPalette(page, 'prep.scale', 500, 150);
    await connect(page, { node: 'sample-1', port: 'table' }, { node: 'scale-1', port: 'data' });
    await expect(page.locator('.react-flow__edge')).toHaveCount(0);
    await expect(page.getByTestId('toast').filter({ hasText: 'table output cannot feed a dataset input' })).toBeVisible();
  });

  test('edits params; an invalid value is shown and refused, not clamped', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'prep.split', 300, 150);
    await selectNode(page, 'split-1');
    const field = page.getByTestId('param-train');
    await expect(field).toHaveValue('0.7');
    await field.fill('1.5');
    await expect(page.getByTestId('param-error-train')).toContainText('must be ≤ 1');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.press('Enter');
    await field.blur();
    // Still shown as invalid; Escape drops the draft and shows what the graph kept.
    await expect(page.getByTestId('param-error-train')).toContainText('must be ≤ 1');
    await field.press('Escape');
    await expect(field).toHaveValue('0.7');
    await expect(page.getByTestId('param-error-train')).toHaveCount(0);
    await field.fill('abc');
    await expect(page.getByTestId('param-error-train')).toContainText('not a number');
    await field.fill('0.6');
    await field.press('Enter');
    await expect(field).toHaveValue('0.6');
    // The node's own cross-param check: fractions no longer add up to 1.
    await expect(page.getByTestId('param-error-train')).toContainText('add up to 1');
    await page.getByTestId('param-validation').fill('0.25');
    await page.getByTestId('param-validation').press('Enter');
    await expect(page.getByTestId('param-error-train')).toHaveCount(0);
  });

  test('a multi-node paste is one undo step', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'data.sample', 120, 120);
    await dragFromPalette(page, 'prep.roles', 420, 120);
    await connect(page, { node: 'sample-1', port: 'table' }, { node: 'roles-1', port: 'table' });
    await expect(page.locator('.react-flow__edge')).toHaveCount(1);
    await page.locator('.react-flow__pane').click({ position: { x: 600, y: 400 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.mouse.move(300, 500);
    await page.keyboard.press('Control+v');
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    await expect(page.locator('.react-flow__edge')).toHaveCount(2);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node')).toHaveCount(2);
    await expect(page.locator('.react-flow__edge')).toHaveCount(1);
    await page.keyboard.press('Control+Shift+z');
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  });

  test('quick-add from a double-click and the shortcut help', async ({ page }) => {
    await openEmptyEditor(page);
    await page.locator('.react-flow__pane').dblclick({ position: { x: 300, y: 200 } });
    await expect(page.getByTestId('quick-add')).toBeVisible();
    await page.keyboard.type('split');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('node-split-1')).toBeVisible();
    await page.locator('.react-flow__pane').click({ position: { x: 600, y: 400 } });
    await page.keyboard.press('?');
    await expect(page.getByTestId('help')).toContainText('Undo');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help')).toHaveCount(0);
  });

  test('a drag is one undo step', async ({ page }) => {
    await openEmptyEditor(page);
    await dragFromPalette(page, 'prep.split', 200, 150);
    const node = page.locator('.react-flow__node').first();
    const before = await node.evaluate((el) => (el as HTMLElement).style.transform);
    const header = await page.getByTestId('node-split-1').locator('.pnode-header').boundingBox();
    await page.mouse.move(header!.x + 20, header!.y + 8);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(header!.x + 20 + i * 20, header!.y + 8 + i * 10);
    await page.mouse.up();
    const after = await node.evaluate((el) => (el as HTMLElement).style.transform);
    expect(after).not.toBe(before);
    await page.keyboard.press('Control+z');
    await expect.poll(() => node.evaluate((el) => (el as HTMLElement).style.transform)).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => node.evaluate((el) => (el as HTMLElement).style.transform)).toBe(after);
    // One more undo removes the node added from the palette: the drag was a single step.
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node')).toHaveCount(0);
  });
});
