import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundsOf, CANVAS_INSETS, OPENING_MAX_ZOOM, openingViewport, READABLE_ZOOM, showsAll, type Rect } from './fit';

/** The iris template as shipped: seven nodes in one row (plus the spec under it), 1610 flow px wide. */
const IRIS: Rect[] = [0, 280, 560, 840, 1120, 1400].map((x) => ({ x, y: 0, width: 210, height: 90 })).concat({ x: 840, y: 200, width: 210, height: 72 });
/** The canvas at a 1400×900 window (side panel, inspector and output panel around it). */
const CANVAS_1400 = { width: 850, height: 561 };

describe('showsAll', () => {
  it('is false when a node lies beyond the canvas edge (the template’s saved viewport at 1400×900)', () => {
    expect(showsAll({ x: 40, y: 80, zoom: 0.8 }, IRIS, CANVAS_1400)).toBe(false);
    expect(showsAll({ x: 40, y: 80, zoom: 0.5 }, IRIS, CANVAS_1400)).toBe(true);
  });
});

describe('openingViewport', () => {
  it('fits the iris template at 1400×900 inside the canvas at a readable zoom', () => {
    const viewport = openingViewport(boundsOf(IRIS), CANVAS_1400);
    expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(showsAll(viewport, IRIS, CANVAS_1400)).toBe(true);
  });

  it('shows a small graph at its natural size, centred', () => {
    const viewport = openingViewport({ x: 100, y: 100, width: 200, height: 80 }, CANVAS_1400);
    expect(viewport.zoom).toBe(OPENING_MAX_ZOOM);
    const free = CANVAS_1400.width - CANVAS_INSETS.left - CANVAS_INSETS.right;
    expect(viewport.x + 100).toBeCloseTo(CANVAS_INSETS.left + (free - 200) / 2);
  });

  it('opens a graph too wide to read whole with its start in view, at the readable zoom', () => {
    const wide = boundsOf([{ x: -50, y: 10, width: 6000, height: 100 }]);
    const viewport = openingViewport(wide, { width: 474, height: 400 });
    expect(viewport.zoom).toBe(READABLE_ZOOM);
    expect(-50 * viewport.zoom + viewport.x).toBeCloseTo(CANVAS_INSETS.left);
  });

  it('any graph that fits at a readable zoom is wholly visible inside the insets', () => {
    const rect = fc.record({ x: fc.integer({ min: -3000, max: 3000 }), y: fc.integer({ min: -3000, max: 3000 }), width: fc.integer({ min: 20, max: 400 }), height: fc.integer({ min: 20, max: 300 }) });
    const canvas = fc.record({ width: fc.integer({ min: 300, max: 2500 }), height: fc.integer({ min: 300, max: 1500 }) });
    fc.assert(
      fc.property(fc.array(rect, { minLength: 1, maxLength: 30 }), canvas, (rects, size) => {
        const bounds = boundsOf(rects);
        const viewport = openingViewport(bounds, size);
        expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
        expect(viewport.zoom).toBeLessThanOrEqual(OPENING_MAX_ZOOM);
        const fitsReadable = bounds.width * READABLE_ZOOM <= size.width - CANVAS_INSETS.left - CANVAS_INSETS.right && bounds.height * READABLE_ZOOM <= size.height - CANVAS_INSETS.top - CANVAS_INSETS.bottom;
        if (fitsReadable) expect(showsAll(viewport, rects, size)).toBe(true);
        // Either way the graph's top-left corner is on screen, below the legend.
        expect(bounds.x * viewport.zoom + viewport.x).toBeGreaterThanOrEqual(CANVAS_INSETS.left - 1e-6);
        expect(bounds.y * viewport.zoom + viewport.y).toBeGreaterThanOrEqual(CANVAS_INSETS.top - 1e-6);
      }),
    );
  });
});
