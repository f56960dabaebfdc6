import type { Locator, Page } from '@playwright/test';
import { expect, openEditor, test } from './fixtures';
import { openDeployedMonitor, replayShiftedIris } from './serving-helpers';

/** The element lies whole inside the window's width and inside `within`'s box. */
async function expectInside(element: Locator, within: Locator, what: string): Promise<void> {
  const box = (await element.boundingBox())!;
  const outer = (await within.boundingBox())!;
  const viewport = element.page().viewportSize()!;
  expect(box.x, `${what} starts on screen`).toBeGreaterThanOrEqual(Math.max(0, outer.x) - 0.5);
  expect(box.x + box.width, `${what} ends on screen`).toBeLessThanOrEqual(Math.min(viewport.width, outer.x + outer.width) + 0.5);
  // Nothing inside the cell is cut off either.
  expect(await element.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${what} is not clipped`).toBe(true);
}

/**
 * What depends on the window's width: the predict form in columns, and after shifted traffic,
 * the monitor with every drift column, header and values, inside the window and its table's box.
 */
async function expectMonitorReadable(page: Page, endpoint: Locator): Promise<void> {
  const view = page.getByTestId('serving-view');
  // The predict form lays its four fields out in columns, not one under the other.
  const fields = endpoint.getByTestId('endpoint-predict-form').locator('.field');
  await expect(fields).toHaveCount(4);
  const tops = await fields.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  expect(new Set(tops).size, 'rows of the predict form').toBeLessThan(4);

  // Shifted traffic, so the drift table fills in.
  await replayShiftedIris(endpoint);

  const monitor = endpoint.getByTestId('endpoint-monitor');
  await monitor.getByLabel('Window').selectOption({ label: '1 min' });
  await expect(monitor.getByTestId('monitor-requests')).toContainText('150 requests');
  await expect(monitor.getByTestId('monitor-requests')).toContainText('p50 latency');
  await expect(monitor.getByTestId('monitor-requests')).toContainText('p99 latency');
  await expect(monitor.locator('[data-feature="petal length (cm)"]')).toHaveAttribute('data-status', /amber|red/);
  await expect(monitor.getByTestId('monitor-traffic-chart').locator('canvas')).toBeVisible();
  await expect(monitor.getByTestId('monitor-latency-chart').locator('canvas')).toBeVisible();

  // Every column of the drift table, header and values, within the window's width.
  const main = view.locator('.serving-main');
  const table = monitor.getByTestId('monitor-features');
  // Inside the table's own scroll box too: a cell scrolled out of it is not readable.
  const box = table.locator('xpath=..');
  await table.scrollIntoViewIfNeeded();
  const headers = table.locator('thead th');
  await expect(headers).toHaveText(['feature', 'kind', 'status', 'PSI', 'KS p', 'n', 'drifting since']);
  for (let i = 0; i < 7; i++) await expectInside(headers.nth(i), box, `header "${await headers.nth(i).textContent()}"`);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  for (let r = 0; r < 4; r++) {
    const cells = rows.nth(r).locator('td');
    await expect(cells).toHaveCount(7);
    for (let i = 0; i < 7; i++) await expectInside(cells.nth(i), box, `row ${r} cell ${i}`);
  }
  await expect(rows.first().locator('td').nth(3)).toHaveText(/^\d/);
  await expect(table.locator('[data-feature="petal length (cm)"] td').nth(4)).toHaveText(/^\d/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  expect(await main.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the drift table needs no sideways scrolling').toBe(true);
  await expectInside(box, main, 'the drift table');
}

test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('the full-size monitor opens from the Deploy and Monitor nodes and shows every drift column at 1024×700', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    // From the Deploy node's output: "Open monitor" opens the Serving view on its endpoint.
    const endpoint = await openDeployedMonitor(page);
    const view = page.getByTestId('serving-view');
    await expect(page.getByTestId('view-serving')).toHaveAttribute('aria-selected', 'true');
    await expect(endpoint.getByTestId('endpoint-versions')).toContainText('live');
    await expect(view.getByTestId('serving-endpoint-iris-graph')).toHaveAttribute('aria-current', 'page');

    await expectMonitorReadable(page, endpoint);

    // Back to the editor; the Monitor node links to the same endpoint.
    await page.getByTestId('view-editor').click();
    await page.getByTestId('node-monitor').locator('.pnode-header').click();
    await page.getByTestId('output-panel').getByTestId('open-monitor').click();
    await expect(view.getByTestId('endpoint-iris-graph')).toBeVisible();
  });
});

test.describe('at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  // Wider than 1180 px the endpoint's cards sit three abreast and the drift table shares its row: its columns must still fit.
  test('the monitor shows every drift column and the predict form in columns at 1440×900', async ({ page }) => {
    test.setTimeout(300_000);
    await openEditor(page);
    const endpoint = await openDeployedMonitor(page);
    await expectMonitorReadable(page, endpoint);
  });
});
