/** What the canvas shows, read from the page: zoom, nodes out of view or covered, and the window sizes the editor promises. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** The two window sizes the editor is promised (and shown in the README) at. */
export const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

/** The canvas zoom, read from React Flow's viewport transform on the page. */
export async function zoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  const match = /matrix\(([-\d.e]+)/.exec(transform);
  return match ? Number(match[1]) : 1;
}

/**
 * Ids of the nodes not wholly inside the visible canvas. The canvas draws only the nodes in
 * view, so a node not drawn at all (fewer drawn than the status bar counts) is out of view too.
 */
export function nodesOutOfView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const counted = parseInt(document.querySelector('[data-testid="node-count"]')?.textContent ?? '', 10);
    const drawn = document.querySelectorAll('.react-flow__node').length;
    if (drawn !== counted) return [`${counted - drawn} of ${counted} nodes not drawn`];
    const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return box.left < canvas.left || box.top < canvas.top || box.right > canvas.right || box.bottom > canvas.bottom;
      })
      .map((node) => node.dataset.id ?? '?');
  });
}

/** Whether node `id` is drawn wholly inside the visible canvas. */
export function nodeInView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((nodeId) => {
    const node = document.querySelector(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`);
    if (!node) return false;
    const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return box.left >= canvas.left && box.top >= canvas.top && box.right <= canvas.right && box.bottom <= canvas.bottom;
  }, id);
}

/** Ids of the nodes whose centre is covered by something else (the minimap, a control, the legend). */
export function nodesCovered(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return !hit || !node.contains(hit);
      })
      .map((node) => node.dataset.id ?? '?'),
  );
}

/** A point on the empty pane (no node, edge or control under it), in page coordinates. */
export async function emptyPoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    for (let fy = 0.9; fy > 0.1; fy -= 0.05) {
      for (let fx = 0.9; fx > 0.1; fx -= 0.05) {
        const x = pane.left + pane.width * fx;
        const y = pane.top + pane.height * fy;
        const free = [-30, 0, 30].every((dx) => [-30, 0, 30].every((dy) => document.elementFromPoint(x + dx, y + dy)?.classList.contains('react-flow__pane')));
        if (free) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty spot on the canvas');
  return point;
}

/** The graph just opened is fitted: every node inside the visible canvas, at a zoom whose details are readable (≥ 0.45). */
export async function expectOpenedFitted(page: Page, what: string): Promise<void> {
  await expect.poll(() => nodesOutOfView(page), { message: `${what}: nodes outside the canvas` }).toEqual([]);
  expect(await zoom(page), `${what}: zoom`).toBeGreaterThanOrEqual(0.45);
}

/** The element's box lies wholly inside the window. */
export async function expectInWindow(element: Locator, what: string): Promise<void> {
  const box = await element.boundingBox();
  expect(box, `${what} is drawn`).not.toBeNull();
  const { width, height } = element.page().viewportSize()!;
  expect(
    { left: box!.x >= -0.5, top: box!.y >= -0.5, right: box!.x + box!.width <= width + 0.5, bottom: box!.y + box!.height <= height + 0.5 },
    `${what} lies inside the ${width}×${height} window (box ${JSON.stringify(box)})`,
  ).toEqual({ left: true, top: true, right: true, bottom: true });
}
