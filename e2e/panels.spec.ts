import type { Locator, Page } from '@playwright/test';
import { expect, openEditor, test } from './fixtures';

async function width(locator: Locator): Promise<number> {
  return (await locator.boundingBox())!.width;
}
async function height(locator: Locator): Promise<number> {
  return (await locator.boundingBox())!.height;
}

/** Drags a separator by (dx, dy) with the mouse, as a person would. */
async function drag(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  const box = (await handle.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

/** Elements of the frame that must never need a sideways scrollbar. */
const FRAME = ['toolbar', 'panel-side', 'side-panel', 'panel-center', 'panel-inspector', 'inspector', 'panel-output', 'output-panel', 'status-bar'];

async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate((ids) => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) found.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const id of ids) {
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (el && el.scrollWidth > el.clientWidth) found.push(`${id} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return found;
  }, FRAME);
}

test('side panel, inspector and output panel resize by dragging and keep their sizes after a reload', async ({ page }) => {
  await openEditor(page);
  const side = page.getByTestId('panel-side');
  const inspector = page.getByTestId('panel-inspector');
  const output = page.getByTestId('panel-output');
  const before = { side: await width(side), inspector: await width(inspector), output: await height(output) };

  await drag(page, page.getByTestId('resize-side'), 120, 0);
  await expect.poll(() => width(side)).toBeGreaterThan(before.side + 100);
  await drag(page, page.getByTestId('resize-inspector'), 80, 0);
  await expect.poll(() => width(inspector)).toBeLessThan(before.inspector - 60);
  await drag(page, page.getByTestId('resize-output'), 0, -100);
  await expect.poll(() => height(output)).toBeGreaterThan(before.output + 80);
  const after = { side: await width(side), inspector: await width(inspector), output: await height(output) };

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // Sizes are stored in pixels: equal after the round trip.
  await expect.poll(() => width(side)).toBeCloseTo(after.side, -0.5);
  expect(await width(inspector)).toBeCloseTo(after.inspector, -0.5);
  expect(await height(output)).toBeCloseTo(after.output, -0.5);
});

test('the output panel collapses to its header and opens again at its size', async ({ page }) => {
  await openEditor(page);
  const output = page.getByTestId('panel-output');
  const open = await height(output);
  await page.getByRole('button', { name: 'Collapse output panel' }).click();
  await expect.poll(() => height(output)).toBeLessThan(50);
  await expect(page.getByText('Output', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Expand output panel' }).click();
  await expect.poll(() => height(output)).toBeCloseTo(open, -0.5);
});

test('dragging the output panel down past its min collapses it to its header; it opens again at its height', async ({ page }) => {
  await openEditor(page);
  const output = page.getByTestId('panel-output');
  const open = await height(output);
  // Down to just above the halfway point between collapsed and its min (90 px): it stops at its min.
  await drag(page, page.getByTestId('resize-output'), 0, open - 70);
  await expect.poll(() => height(output)).toBeCloseTo(90, -0.5);
  await drag(page, page.getByTestId('resize-output'), 0, 60);
  await expect.poll(() => height(output)).toBeLessThan(50);
  await expect(page.getByRole('button', { name: 'Expand output panel' })).toBeVisible();
  await page.getByRole('button', { name: 'Expand output panel' }).click();
  await expect.poll(() => height(output)).toBeCloseTo(90, -0.5);
  // Dragged up from its header, it opens again.
  await page.getByRole('button', { name: 'Collapse output panel' }).click();
  await drag(page, page.getByTestId('resize-output'), 0, -200);
  await expect.poll(() => height(output)).toBeGreaterThan(200);
  await expect(page.getByRole('button', { name: 'Collapse output panel' })).toBeVisible();
});

test('separators are focusable, say the size they stand for, and move with the keyboard', async ({ page }) => {
  await openEditor(page);
  const side = page.getByTestId('panel-side');
  const handle = page.getByRole('separator', { name: 'Resize the side panel' });
  await expect(handle).toHaveAttribute('aria-orientation', 'vertical');
  await expect(handle).toHaveAttribute('aria-valuemin', '170');
  await expect(handle).toHaveAttribute('aria-valuenow', String(Math.round(await width(side))));
  const start = await width(side);
  await handle.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => width(side)).toBeCloseTo(start + 20, -0.5);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(() => width(side)).toBeCloseTo(start - 80, -0.5);
  await page.keyboard.press('Home');
  await expect.poll(() => width(side)).toBeCloseTo(170, -0.5);
  await expect(handle).toHaveAttribute('aria-valuenow', '170');

  const inspector = page.getByTestId('panel-inspector');
  const inspectorStart = await width(inspector);
  await page.getByRole('separator', { name: 'Resize the inspector' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => width(inspector)).toBeCloseTo(inspectorStart + 20, -0.5);

  const output = page.getByTestId('panel-output');
  const outputHandle = page.getByRole('separator', { name: 'Resize the output panel' });
  await expect(outputHandle).toHaveAttribute('aria-orientation', 'horizontal');
  const outputStart = await height(output);
  await outputHandle.focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => height(output)).toBeCloseTo(outputStart + 20, -0.5);
  await page.keyboard.press('Enter');
  await expect.poll(() => height(output)).toBeLessThan(50);
  await page.keyboard.press('Enter');
  await expect.poll(() => height(output)).toBeCloseTo(outputStart + 20, -0.5);
});

test('a narrower window narrows the panels for the canvas without forgetting the chosen sizes', async ({ page }) => {
  await openEditor(page);
  const side = page.getByTestId('panel-side');
  const inspector = page.getByTestId('panel-inspector');
  await drag(page, page.getByTestId('resize-side'), 300, 0);
  await drag(page, page.getByTestId('resize-inspector'), -300, 0);
  const chosen = { side: await width(side), inspector: await width(inspector) };
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect.poll(() => width(page.getByTestId('panel-center'))).toBeGreaterThanOrEqual(280);
  expect(await overflowing(page)).toEqual([]);
  expect(await width(side)).toBeLessThan(chosen.side);
  await page.setViewportSize({ width: 1400, height: 900 });
  await expect.poll(() => width(side)).toBeCloseTo(chosen.side, -0.5);
  expect(await width(inspector)).toBeCloseTo(chosen.inspector, -0.5);
});

test('a damaged stored layout is ignored: the panels open at their first-visit sizes', async ({ page }) => {
  await openEditor(page);
  await page.evaluate(() => localStorage.setItem('pipeline-studio:layout', '{"side": "wide", "inspector": [1], "output":'));
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect.poll(() => width(page.getByTestId('panel-side'))).toBeCloseTo(250, -0.5);
  expect(await width(page.getByTestId('panel-inspector'))).toBeCloseTo(300, -0.5);
  expect(await height(page.getByTestId('panel-output'))).toBeCloseTo(220, -0.5);

});

test('the status bar says in plain words where the numbers are computed, the renderer detail in its tooltip', async ({ page }) => {
  await openEditor(page);
  const status = page.getByTestId('backend-status');
  await expect(status).toHaveAttribute('data-backend', /wasm|cpu|webgl|webgpu/);
  await expect(status).toHaveText(/^Computing on (WebAssembly \(CPU\)|plain JavaScript \(CPU\)|the GPU \((WebGL|WebGPU)\)|(WebGL|WebGPU) in software)/);
  await expect(status).not.toHaveText(/ANGLE|SwiftShader|probe/);
  await expect(status).toHaveAttribute('title', /webgl: (available|unavailable)/);
  // Headless Chromium here has no GPU: WebAssembly wins, and the sentence says why.
  if ((await status.getAttribute('data-backend')) === 'wasm' && !/webgl: available(?! \(software)/.test((await status.getAttribute('title')) ?? '')) {
    await expect(status).toHaveText('Computing on WebAssembly (CPU) — no GPU found');
  }
  // Stays on one line whatever the window: it gives way with an ellipsis.
  const bar = (await page.getByTestId('status-bar').boundingBox())!;
  expect(bar.height).toBeLessThan(32);

  await page.goto('/?backend=cpu');
  await expect(status).toHaveText('Computing on plain JavaScript (CPU) — chosen in settings');
});

test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('nothing scrolls sideways, and every side tab is whole on screen', async ({ page }) => {
    await openEditor(page);
    const sidePanel = page.getByTestId('side-panel');
    const sideBox = (await sidePanel.boundingBox())!;
    for (const tab of ['nodes', 'graphs', 'datasets', 'models', 'endpoints']) {
      const button = page.getByTestId(`tab-${tab}`);
      const box = (await button.boundingBox())!;
      expect(box.x, `${tab} tab starts inside the side panel`).toBeGreaterThanOrEqual(sideBox.x);
      expect(box.x + box.width, `${tab} tab ends inside the side panel`).toBeLessThanOrEqual(sideBox.x + sideBox.width + 0.5);
      // The label is not clipped inside its button.
      expect(await button.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await button.click();
      await expect(button).toHaveAttribute('aria-selected', 'true');
      expect(await overflowing(page), `after opening the ${tab} tab`).toEqual([]);
    }
    // The Endpoints tab after its content has loaded (the deploy hint, the worker state).
    await page.getByTestId('tab-endpoints').click();
    await expect(page.getByTestId('endpoint-worker')).toHaveAttribute('data-state', 'ready');
    expect(await overflowing(page)).toEqual([]);
    expect(await sidePanel.evaluate((el) => el.scrollLeft)).toBe(0);
  });

  test('after a run, with the result in the output panel, and in the Runs view, nothing scrolls sideways', async ({ page }) => {
    await openEditor(page);
    await page.getByTestId('run').click();
    await expect(page.getByTestId('run-status')).toHaveText('Run finished', { timeout: 180_000 });
    await page.getByTestId('node-evaluate').locator('.pnode-header').click();
    await expect(page.getByTestId('node-output')).toHaveAttribute('data-state', 'loaded');
    await expect(page.getByTestId('output-panel').locator('.view').first()).toBeVisible();
    await expect(page.getByTestId('inspector')).toContainText('Evaluate');
    expect(await overflowing(page)).toEqual([]);

    await page.getByTestId('view-runs').click();
    await expect(page.getByTestId('view-runs')).toHaveAttribute('aria-selected', 'true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  });
});
