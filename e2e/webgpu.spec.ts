/**
 * WebGPU needs Chromium started with --enable-unsafe-webgpu: this file launches its own
 * browser with that flag, and skips (saying why) when no adapter appears.
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { expect, test } from './fixtures';
import { runToTheEnd, setEpochs } from './run-helpers';

test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

test('?backend=webgpu: the status bar shows it and a run completes', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=webgpu');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  const adapter = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is missing';
    return (await gpu.requestAdapter()) ? null : 'requestAdapter() returned null';
  });
  test.skip(adapter !== null, `WebGPU does not appear in this Chromium even with --enable-unsafe-webgpu: ${adapter}`);
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await setEpochs(page, 3);
  await runToTheEnd(page);
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', 'webgpu');
});
