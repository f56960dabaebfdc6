import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, openEditor, test } from './fixtures';
import { emptyPoint, expectInWindow, nodeInView, nodesCovered } from './canvas-helpers';

/** Imports the iris example with a target column it does not have, and dismisses the import's toast. */
async function importWrongTarget(page: Page): Promise<void> {
  const file = JSON.parse(await readFile(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as {
    graph: { name: string; nodes: { id: string; type: string; params: Record<string, unknown> }[] };
  };
  file.graph.name = 'Iris with a wrong target';
  file.graph.nodes.find((n) => n.id === 'roles')!.params.target = 'colour';
  await page.getByTestId('import-file').setInputFiles({ name: 'wrong-target.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('graph-name')).toHaveValue('Iris with a wrong target');
  await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();
}

/** Whether two elements' boxes overlap. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [(await a.boundingBox())!, (await b.boundingBox())!];
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

/** Opens the editor on the wrong-target graph and runs it: the one toast of the failed run (Roles). */
async function failedRunToast(page: Page): Promise<Locator> {
  await openEditor(page);
  await importWrongTarget(page);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run failed', { timeout: 120_000 });
  const toast = page.getByTestId('toast').filter({ hasText: /^Roles/ });
  await expect(toast).toHaveCount(1);
  return toast;
}

/**
 * A run that fails says which node failed and why, in the toast itself; running it again does
 * not stack copies of the same message; clicking the message selects the node.
 */
test('a failed run names the node in its toast, repeats collapse into ×N, and clicking selects the node', async ({ page }) => {
  const toast = await failedRunToast(page);
  await expect(toast).toHaveAttribute('data-node', 'roles');
  await expect(toast).toContainText(/^Roles \(target & features\): .*colour/);
  const text = await toast.locator('.toast-text').textContent();
  await expect(toast.getByTestId('toast-count')).toHaveCount(0);

  // Two more failing runs: still one toast, now counted.
  for (const times of [2, 3]) {
    await page.getByTestId('run').click();
    await expect(toast.getByTestId('toast-count')).toHaveText(`×${times}`, { timeout: 120_000 });
  }
  await expect(page.getByTestId('toast')).toHaveCount(1);
  await expect(toast.locator('.toast-text')).toHaveText(text!);

  // Nothing selected; clicking the message selects the failed node (the inspector shows it).
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(0);
  await toast.getByRole('button', { name: text! }).click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
  await expect(page.locator('.react-flow__node.selected')).toHaveAttribute('data-id', 'roles');
  await expect(page.getByTestId('inspector')).toContainText('Roles');
});

/** The test above runs at 1400×900; what depends on the window (where the toast lies, what it covers, the node it reveals) also at 1024×700. */
test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('the failed run’s toast stays clear of the toolbar, side panel, inspector and status bar, and its click brings the node into view', async ({ page }) => {
    const toast = await failedRunToast(page);
    await expectInWindow(toast, 'the toast');
    // Its long message wraps inside it rather than running past its edge.
    expect(await toast.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the toast’s text is not cut off').toBe(true);
    for (const [what, control] of [
      ['the toolbar', page.getByTestId('toolbar')],
      ['the side panel', page.getByTestId('panel-side')],
      ['the inspector', page.getByTestId('panel-inspector')],
      ['the status bar', page.getByTestId('status-bar')],
      ['the canvas controls', page.locator('.react-flow__controls')],
    ] as const) {
      expect(await overlap(toast, control), `the toast covers ${what}`).toBe(false);
    }

    // The canvas dragged sideways until Roles is off it; clicking the message selects Roles and pans it back into view, clear of the toast.
    const from = await emptyPoint(page);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x - 450, from.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => nodeInView(page, 'roles'), { message: 'Roles dragged off the canvas' }).toBe(false);
    await toast.getByRole('button', { name: /^Roles/ }).click();
    await expect(page.locator('.react-flow__node.selected')).toHaveAttribute('data-id', 'roles');
    await expect.poll(() => nodeInView(page, 'roles'), { message: 'Roles brought into view' }).toBe(true);
    expect(await nodesCovered(page), 'Roles under the toast or a control').not.toContain('roles');
    await expect(page.getByTestId('inspector')).toContainText('Roles');
  });
});
