/** Column pickers list the file's columns (read from its header in the worker) before anything has run. */
import { connect, dragFromPalette, expect, openEditor, openEmptyEditor, selectNode, test } from './fixtures';
import { csv, dropFile, fileNodes } from './files-helpers';
import { expectInWindow } from './canvas-helpers';

test('the iris template: Roles’ target is a dropdown of the sample’s columns before any run', async ({ page }) => {
  await openEditor(page);
  await selectNode(page, 'roles');
  const target = page.getByTestId('param-target');
  await expect(target.locator('option', { hasText: 'species (category)' })).toHaveCount(1);
  await expect(target.locator('option', { hasText: 'petal width (cm) (number)' })).toHaveCount(1);
  await expect(target).toHaveValue('species');
  // Nothing ran: no node has a status, the run status is empty.
  await expect(page.locator('[data-testid="node-status"][data-status="done"]')).toHaveCount(0);
  await expect(page.getByTestId('node-output')).toContainText('No output yet');
});

test('a dropped CSV: a Roles node wired to it lists its columns before any run', async ({ page }) => {
  await openEmptyEditor(page);
  await dropFile(page, { name: 'measurements.csv', type: 'text/csv', text: csv(300) }, { x: 150, y: 150 });
  await expect(fileNodes(page)).toHaveCount(1);
  const fileId = (await fileNodes(page).first().getAttribute('data-testid'))!.replace(/^node-/, '');
  await dragFromPalette(page, 'prep.roles', 520, 170);
  const roles = page.locator('[data-node-type="prep.roles"]');
  await expect(roles).toHaveCount(1);
  const rolesId = (await roles.getAttribute('data-testid'))!.replace(/^node-/, '');
  await connect(page, { node: fileId, port: 'table' }, { node: rolesId, port: 'table' });
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await selectNode(page, rolesId);
  const target = page.getByTestId('param-target');
  await expect(target.locator('option')).toHaveText(['(choose a column)', 'id (number)', 'length (number)', 'colour (category)']);
  await target.selectOption('colour');
  await expect(target).toHaveValue('colour');
  await expect(page.locator('[data-testid="node-status"][data-status="done"]')).toHaveCount(0);
});

/** The tests above run at 1400×900; at 1024×700 the inspector is narrower: the column picker must still fit it and work. */
test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('the Roles target dropdown fits the narrower inspector and picks a column', async ({ page }) => {
    await openEditor(page);
    await selectNode(page, 'roles');
    const target = page.getByTestId('param-target');
    await expect(target.locator('option', { hasText: 'petal width (cm) (number)' })).toHaveCount(1);
    await expect(target).toHaveValue('species');
    await expectInWindow(target, 'the target dropdown');
    const inspector = page.getByTestId('panel-inspector');
    const [field, panel] = [(await target.boundingBox())!, (await inspector.boundingBox())!];
    expect(field.x, 'the dropdown starts inside the inspector').toBeGreaterThanOrEqual(panel.x);
    expect(field.x + field.width, 'the dropdown ends inside the inspector').toBeLessThanOrEqual(panel.x + panel.width);
    expect(await inspector.evaluate((el) => [el, ...el.querySelectorAll('*')].every((e) => getComputedStyle(e).overflowX === 'visible' || e.scrollWidth <= e.clientWidth + 1)), 'nothing in the inspector scrolls sideways').toBe(true);
    await target.selectOption('petal width (cm)');
    await expect(target).toHaveValue('petal width (cm)');
    // Kept: another node selected and Roles again, the inspector shows the choice.
    await selectNode(page, 'split');
    await selectNode(page, 'roles');
    await expect(page.getByTestId('param-target')).toHaveValue('petal width (cm)');
  });
});
