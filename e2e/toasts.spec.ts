import { readFile } from 'node:fs/promises';
import { expect, openEditor, test } from './fixtures';

/**
 * A run that fails says which node failed and why, in the toast itself; running it again does
 * not stack copies of the same message; clicking the message selects the node.
 */
test('a failed run names the node in its toast, repeats collapse into ×N, and clicking selects the node', async ({ page }) => {
  await openEditor(page);
  const file = JSON.parse(await readFile(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as {
    graph: { name: string; nodes: { id: string; type: string; params: Record<string, unknown> }[] };
  };
  file.graph.name = 'Iris with a wrong target';
  file.graph.nodes.find((n) => n.id === 'roles')!.params.target = 'colour';
  await page.getByTestId('import-file').setInputFiles({ name: 'wrong-target.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('graph-name')).toHaveValue('Iris with a wrong target');
  await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();

  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run failed', { timeout: 120_000 });
  const toast = page.getByTestId('toast').filter({ hasText: /^Roles/ });
  await expect(toast).toHaveCount(1);
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
