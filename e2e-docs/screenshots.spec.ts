/**
 * The README's screenshots, at 1440×900 and 1024×700: the first visit, a finished run of the
 * iris template, and the Serving view's monitor after shifted traffic. Each test drives the real
 * UI like the e2e tests do. (The tune leaderboard pictures, tune-leaderboard-<width>.png, are made
 * by the tune e2e-docs spec.)
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, openEditor, test } from '../e2e/fixtures';
import { openDeployedMonitor, replayShiftedIris } from '../e2e/serving-helpers';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

async function shoot(page: Page, name: string): Promise<void> {
  // No caret or hover state in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${OUT}${name}-${page.viewportSize()!.width}.png`, animations: 'disabled', caret: 'hide' });
}

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('first visit, then the finished iris run', async ({ page }) => {
      await openEditor(page);
      await expect(page.locator('.react-flow__node')).toHaveCount(7);
      await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', /.+/);
      await shoot(page, 'first-visit');

      await page.getByTestId('run').click();
      await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
      // The result: the Evaluate node's metrics in the output panel.
      await page.getByTestId('node-evaluate').locator('.pnode-header').click();
      await expect(page.getByTestId('node-output')).toHaveAttribute('data-state', 'loaded');
      await expect(page.getByTestId('output-panel').locator('.view').first()).toBeVisible();
      await shoot(page, 'run-finished');
    });

    test('the Serving view with the monitor after shifted traffic', async ({ page }) => {
      await openEditor(page);
      const endpoint = await openDeployedMonitor(page);
      // Slow enough to spread over a few one-second windows of the charts.
      await replayShiftedIris(endpoint, 40);
      const monitor = endpoint.getByTestId('endpoint-monitor');
      await monitor.getByLabel('Window').selectOption({ label: '1 s' });
      await expect(monitor.getByTestId('monitor-features')).toBeVisible();
      await expect(monitor.getByTestId('monitor-latency-chart').locator('canvas')).toBeVisible();
      await shoot(page, 'serving');
      // Scrolled to the monitor: charts, drift and predictions vs training.
      await page.locator('.serving-main').evaluate((el, top) => el.scrollTo(0, top), await monitor.evaluate((el) => (el.closest('.card') as HTMLElement).offsetTop - 8));
      await shoot(page, 'monitor');
    });
  });
}
