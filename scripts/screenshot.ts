/**
 * Takes docs/screenshot.png for the README: builds nothing itself; serves dist/ with
 * `vite preview`, opens the editor (first visit opens the iris example), runs it, selects
 * the evaluate node so the output panel shows its metrics, and saves the picture.
 *
 *   npx vite build && npx tsx scripts/screenshot.ts
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const PORT = Number(process.env.SCREENSHOT_PORT ?? 4185);
const URL_BASE = `http://127.0.0.1:${PORT}/`;
const OUT = 'docs/screenshot.png';

async function waitForServer(url: string, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not start on ${url}`);
}

async function main(): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  try {
    await waitForServer(URL_BASE);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1600, height: 940 }, deviceScaleFactor: 1 });
    await page.goto(URL_BASE);
    await page.locator('[data-node-type="evaluate.metrics"]').first().waitFor();
    await page.getByTestId('run').click();
    await page.getByTestId('run-status').filter({ hasText: 'Run finished' }).waitFor({ timeout: 180_000 });
    await page.locator('[data-node-type="evaluate.metrics"] .pnode-header').first().click();
    await page.getByTestId('metric-accuracy').waitFor();
    await page.keyboard.press('f');
    await page.waitForTimeout(500);
    await mkdir('docs', { recursive: true });
    await page.screenshot({ path: OUT });
    await browser.close();
    console.log(`wrote ${OUT}`);
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
