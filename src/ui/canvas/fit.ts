/**
 * Where an opened graph is shown: its saved viewport when that still shows every node on
 * this canvas, else the graph fitted into the canvas at a zoom whose text is readable. A
 * graph saved on a wider screen (or a template laid out for one) must not open with nodes
 * cut off behind the inspector or the output panel.
 */
import type { Viewport } from '@xyflow/react';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * Below this zoom a node shows only its title and status, in type large enough to read
 * (semantic zoom); ports and details come back above it.
 */
export const DETAIL_MIN_ZOOM = 0.45;
/**
 * The smallest zoom a graph opens (or is fitted) at: titles, drawn larger below
 * DETAIL_MIN_ZOOM, stay legible; a graph bigger than that opens with its start in view.
 */
export const READABLE_ZOOM = 0.35;
/** A small graph opens at its natural size, not blown up. */
export const OPENING_MAX_ZOOM = 1;
/** Room kept free along the canvas edges: the port legend sits at the top, the zoom controls (one row) at the bottom. */
export const CANVAS_INSETS: Insets = { top: 40, right: 16, bottom: 52, left: 16 };

/** Whether every rect lies wholly inside the canvas when seen through `viewport`. */
export function showsAll(viewport: Viewport, rects: readonly Rect[], canvas: Size): boolean {
  return rects.every((r) => {
    const left = r.x * viewport.zoom + viewport.x;
    const top = r.y * viewport.zoom + viewport.y;
    return left >= 0 && top >= 0 && left + r.width * viewport.zoom <= canvas.width && top + r.height * viewport.zoom <= canvas.height;
  });
}

/** The bounding box of `rects` (flow coordinates). */
export function boundsOf(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * The viewport that fits `bounds` into the canvas inside `insets`, at a zoom between
 * READABLE_ZOOM and OPENING_MAX_ZOOM, centred. A graph too big to fit at a readable zoom
 * opens at that zoom with its start (left, top: where a pipeline's data comes in) in view.
 */
export function openingViewport(bounds: Rect, canvas: Size, insets: Insets = CANVAS_INSETS): Viewport {
  const free = { width: Math.max(1, canvas.width - insets.left - insets.right), height: Math.max(1, canvas.height - insets.top - insets.bottom) };
  const fit = Math.min(free.width / Math.max(1, bounds.width), free.height / Math.max(1, bounds.height));
  const zoom = Math.min(OPENING_MAX_ZOOM, Math.max(READABLE_ZOOM, fit));
  const place = (start: number, room: number, lead: number, extent: number) => {
    const spare = room - extent * zoom;
    return lead + (spare >= 0 ? spare / 2 : 0) - start * zoom;
  };
  return {
    x: place(bounds.x, free.width, insets.left, bounds.width),
    y: place(bounds.y, free.height, insets.top, bounds.height),
    zoom,
  };
}
