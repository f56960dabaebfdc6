/**
 * Shared Playwright fixture: every test fails on a request to another origin, and every
 * HTML document must carry a CSP whose script-src has no 'unsafe-inline' / 'unsafe-eval'.
 * Each test gets a fresh browser context (fresh IndexedDB and localStorage).
 */
import { expect, test as base, type Page, type Worker } from '@playwright/test';

export function scriptSrcProblems(csp: string | undefined): string[] {
  if (!csp) return ['no Content-Security-Policy header'];
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0].toLowerCase(), parts.slice(1)] as const),
  );
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
  if (!scriptSrc) return ['CSP has no script-src (nor default-src)'];
  return scriptSrc.filter((token) => token === "'unsafe-inline'" || token === "'unsafe-eval'").map((token) => `script-src allows ${token}`);
}

export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const ownOrigin = new URL(baseURL!).origin;
      const foreign: string[] = [];
      const cspProblems: string[] = [];
      await page.context().route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== ownOrigin) {
          foreign.push(url);
          return route.abort('blockedbyclient');
        }
        return route.continue();
      });
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'document') return;
        for (const problem of scriptSrcProblems(response.headers()['content-security-policy'])) cspProblems.push(`${response.url()}: ${problem}`);
      });
      await use();
      expect(foreign, 'requests to other origins').toEqual([]);
      expect(cspProblems, 'CSP problems').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the editor and waits until it has opened its first graph. */
export async function openEditor(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await waitSaved(page);
}

/** Opens the editor with an empty new graph (the first visit opens a sample). */
export async function openEmptyEditor(page: Page): Promise<void> {
  await openEditor(page);
  await page.getByTestId('new-graph').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
}

/** Drags a node type from the palette onto the canvas at (x, y) relative to the canvas. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId('tab-nodes').click();
  await page.getByTestId(`palette-${type}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

async function centre(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a connection from an output handle to an input handle with the mouse. */
export async function connect(page: Page, from: { node: string; port: string }, to: { node: string; port: string }): Promise<void> {
  const start = await centre(page, `handle-${from.node}-out-${from.port}`);
  const end = await centre(page, `handle-${to.node}-in-${to.port}`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** Selects a node by clicking its header. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.pnode-header').click();
}

export async function waitSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
}

const isEngineWorker = (worker: Worker) => /engine\.worker/.test(worker.url());

/** The page's engine Web Worker (tfjs runs there); waits until it has started. */
export async function engineWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().filter(isEngineWorker).length, { message: 'the engine worker starts' }).toBeGreaterThan(0);
  return page.workers().filter(isEngineWorker).at(-1)!;
}

/**
 * Crashes the engine worker from outside, as a real fault would: an uncaught error inside the
 * worker, which the page sees as the worker's `error` event. The app has no crash hook of its own.
 */
export async function crashEngineWorker(page: Page, message = 'simulated crash'): Promise<void> {
  const worker = await engineWorker(page);
  await worker.evaluate((text) => {
    setTimeout(() => {
      throw new Error(text);
    }, 0);
  }, message);
}

/** Stops the engine worker silently (`self.close()`): no `error` event, as when the browser kills it. */
export async function stopEngineWorker(page: Page): Promise<void> {
  const worker = await engineWorker(page);
  await worker.evaluate(() => {
    setTimeout(() => self.close(), 0);
  });
}
