/**
 * Canvas view commands shared by the canvas, its controls, its context menu and the
 * keyboard: fit the graph into the visible canvas, auto-layout, bring one node into view.
 * One fitting rule everywhere (./fit): every node inside the canvas, clear of the legend and
 * the minimap, at a zoom between READABLE_ZOOM and OPENING_MAX_ZOOM.
 */
import type { ReactFlowInstance, useStoreApi, Viewport } from '@xyflow/react';
import { editorStore } from '../../state/store';
import type { FlowEdge, FlowNode } from './flow-mapping';
import { boundsOf, CANVAS_INSETS, openingViewport, showsAll, type Insets, type Rect, type Size } from './fit';
import { layoutPositions } from './layout';

export type Flow = ReactFlowInstance<FlowNode, FlowEdge>;
export type FlowStore = ReturnType<typeof useStoreApi<FlowNode, FlowEdge>>;

/** The minimap's box (px) and its distance from the canvas corner: the fit keeps nodes out from under it. */
export const MINIMAP_SIZE = { width: 168, height: 112, margin: 12 } as const;

/** Room kept free along the canvas edges: the legend at the top, the minimap (when shown) at the bottom. */
export function canvasInsets(minimap = editorStore.getState().settings.minimap): Insets {
  return minimap ? { ...CANVAS_INSETS, bottom: Math.max(CANVAS_INSETS.bottom, MINIMAP_SIZE.height + 2 * MINIMAP_SIZE.margin) } : CANVAS_INSETS;
}

/** The canvas size in px, or null before it has been measured. */
export function canvasSize(store: FlowStore): Size | null {
  const { width, height } = store.getState();
  return width > 0 && height > 0 ? { width, height } : null;
}

/** Each node's box in flow coordinates (positions may be overridden); null while any is unmeasured. */
export function nodeRects(flow: Flow, ids: readonly string[], positions?: Record<string, { x: number; y: number }>): Rect[] | null {
  const rects: Rect[] = [];
  for (const id of ids) {
    const internal = flow.getInternalNode(id);
    const { width, height } = internal?.measured ?? {};
    if (!internal || !width || !height) return null;
    rects.push({ ...(positions?.[id] ?? internal.internals.positionAbsolute), width, height });
  }
  return rects;
}

/** Fits the open graph into the visible canvas; false when nodes or canvas are not measured yet. */
export function fitGraph(flow: Flow, store: FlowStore, positions?: Record<string, { x: number; y: number }>): boolean {
  const size = canvasSize(store);
  const rects = nodeRects(
    flow,
    editorStore.getState().nodes.map((n) => n.id),
    positions,
  );
  if (!size || !rects) return false;
  if (rects.length) void flow.setViewport(openingViewport(boundsOf(rects), size, canvasInsets()));
  return true;
}

/** Whether `viewport` (by default the current one) shows every node on this canvas, clear of the minimap; null while unmeasured. */
export function viewportShowsAll(flow: Flow, store: FlowStore, viewport: Viewport = flow.getViewport()): boolean | null {
  const size = canvasSize(store);
  const rects = nodeRects(
    flow,
    editorStore.getState().nodes.map((n) => n.id),
  );
  if (!size || !rects) return null;
  const insets = canvasInsets();
  return showsAll(viewport, rects, { width: size.width - insets.right, height: size.height - insets.bottom });
}

/** Lays the graph out (ELK layered, rows shaped like the canvas) in one undo step, then fits it. */
export async function autoLayout(flow: Flow, store: FlowStore): Promise<void> {
  const { nodes, edges, loadToken } = editorStore.getState();
  if (!nodes.length) return;
  const size = canvasSize(store);
  const insets = canvasInsets();
  const aspect = size ? (size.width - insets.left - insets.right) / Math.max(1, size.height - insets.top - insets.bottom) : undefined;
  // Sizes as drawn (React Flow's measurements; the document has none).
  const boxes = nodes.map((n) => ({ id: n.id, measured: flow.getInternalNode(n.id)?.measured }));
  const positions = await layoutPositions(boxes, edges.map((e) => ({ source: e.from.node, target: e.to.node })), aspect);
  // Another graph was opened while ELK loaded: its nodes are not the ones laid out.
  if (editorStore.getState().loadToken !== loadToken) return;
  editorStore.getState().moveNodes(positions);
  fitGraph(flow, store, positions);
}

/** Pans (never zooms) so that node `id` lies wholly inside the visible canvas, if it does not already. */
export function revealNode(flow: Flow, store: FlowStore, id: string): void {
  const size = canvasSize(store);
  const rect = nodeRects(flow, [id])?.[0];
  if (!size || !rect) return;
  const insets = canvasInsets();
  const viewport = flow.getViewport();
  const room = { width: size.width - insets.right, height: size.height - insets.bottom };
  if (showsAll(viewport, [rect], room) && rect.x * viewport.zoom + viewport.x >= insets.left && rect.y * viewport.zoom + viewport.y >= insets.top) return;
  void flow.setCenter(rect.x + rect.width / 2, rect.y + rect.height / 2, { zoom: viewport.zoom, duration: 200 });
}

/** Shows or hides the minimap (remembered); a node it would now cover is brought out from under it by fitting the graph. */
export function toggleMinimap(flow: Flow, store: FlowStore): void {
  const state = editorStore.getState();
  state.updateSettings({ minimap: !state.settings.minimap });
  if (editorStore.getState().settings.minimap && viewportShowsAll(flow, store) === false) fitGraph(flow, store);
}
