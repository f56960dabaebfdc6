/** Helpers for run tests on the iris template (the first-visit graph). */
import type { Page } from '@playwright/test';
import { expect, selectNode } from './fixtures';

/** Nodes of the iris template upstream of the train node. */
export const UPSTREAM = ['data', 'roles', 'split', 'scale', 'spec'];

/**
 * Sets the iris template's train node to `epochs` epochs of small batches (30 per epoch, so a
 * long run stays busy for minutes and a short one still has batches to cancel between),
 * early stopping off.
 */
export async function setEpochs(page: Page, epochs: number): Promise<void> {
  await selectNode(page, 'train');
  await page.getByTestId('param-earlyStopping').uncheck();
  const batch = page.getByTestId('param-batchSize');
  await batch.fill('4');
  await batch.press('Enter');
  const field = page.getByTestId('param-epochs');
  await field.fill(String(epochs));
  await field.press('Enter');
  await field.blur();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
}

export function nodeStatus(page: Page, nodeId: string) {
  return page.getByTestId(`node-${nodeId}`).getByTestId('node-status');
}

/** Runs and waits until the train node is busy with its epochs. */
export async function runUntilTraining(page: Page): Promise<void> {
  await page.getByTestId('run').click();
  await expect(nodeStatus(page, 'train')).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
  await expect(page.getByTestId('node-train').getByTestId('sparkline')).toBeVisible({ timeout: 60_000 });
}

/**
 * Runs and waits for the run to finish. The evaluate node ran (`done`) unless the caller
 * says its result was reused (`cached`): every caller changes the train params first.
 */
export async function runToTheEnd(page: Page, evaluate: 'done' | 'cached' = 'done'): Promise<void> {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
  await expect(nodeStatus(page, 'evaluate')).toHaveAttribute('data-status', evaluate);
}
