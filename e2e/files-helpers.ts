/** Data files for e2e tests: CSV text and dropping a file on the canvas as a user's drag would. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** A CSV of `rows` rows: id, a measurement, a category. */
export function csv(rows: number): string {
  const lines = ['id,length,colour'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${(i * 0.37).toFixed(2)},${['red', 'green', 'blue'][i % 3]}`);
  return `${lines.join('\n')}\n`;
}

/** Drops a file onto the canvas pane (or onto the element at `selector`) at the given canvas point. */
export async function dropFile(page: Page, file: { name: string; type: string; text: string }, at = { x: 300, y: 200 }, selector = '.react-flow__pane'): Promise<void> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  const dataTransfer = await page.evaluateHandle((f) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([f.text], f.name, { type: f.type }));
    return transfer;
  }, file);
  const target = page.locator(selector).first();
  await target.dispatchEvent('dragover', { dataTransfer, clientX: box.x + at.x, clientY: box.y + at.y });
  await target.dispatchEvent('drop', { dataTransfer, clientX: box.x + at.x, clientY: box.y + at.y });
}

export const fileNodes = (page: Page) => page.locator('[data-node-type="data.file"]');

/** Presses Run and waits for the run's outcome in the status bar. */
export async function run(page: Page, outcome: 'Run finished' | 'Run failed'): Promise<void> {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText(outcome, { timeout: 120_000 });
}
