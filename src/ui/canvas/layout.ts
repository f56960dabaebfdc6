/**
 * Auto-layout with ELK's layered algorithm: left to right by dependency, branches stacked,
 * and a long chain wrapped into rows (ELK's graph wrapping) so the drawing's proportions
 * follow the canvas instead of running off as one long row that only fits at an unreadable zoom.
 * ELK (1.6 MB) loads on first use, never with the editor, and runs in its own Web Worker so
 * laying out a big graph never freezes the editor.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';

const DEFAULT_WIDTH = 210;
const DEFAULT_HEIGHT = 90;

/** Gaps (flow px): between nodes of one layer, between layers, and between wrapped rows. */
export const LAYOUT_SPACING = { node: 30, layer: 50 } as const;

/** Width / height the laid-out drawing aims at when the canvas size is not known (a 16:10 screen's canvas). */
export const DEFAULT_ASPECT_RATIO = 1.6;

/**
 * Nodes in data-flow order (each after everything it reads; otherwise as given): ELK keeps
 * this order among equals, so a template's rows read in the order its data moves.
 */
function dataFlowOrder<N extends { id: string }>(nodes: readonly N[], edges: readonly { source: string; target: string }[]): N[] {
  const waiting = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) waiting.set(e.target, (waiting.get(e.target) ?? 0) + 1);
  const ordered: N[] = [];
  const left = [...nodes];
  while (left.length) {
    // The first node (in the given order) with nothing left to wait for; a cycle takes the first node.
    const index = Math.max(0, left.findIndex((n) => waiting.get(n.id) === 0));
    const [next] = left.splice(index, 1);
    ordered.push(next);
    for (const e of edges) if (e.source === next.id) waiting.set(e.target, (waiting.get(e.target) ?? 1) - 1);
  }
  return ordered;
}

type Positions = Record<string, { x: number; y: number }>;

interface Layouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let elk: Promise<Layouter> | null = null;

/**
 * elkjs's small API (elk-api.js) talking to elkjs's own worker script (elk-worker.min.js),
 * shipped unchanged as an asset (Vite `?url`: a prebuilt classic script, so it is not
 * re-bundled) and started as a classic worker. Without Web Workers (Vitest under Node) ELK's
 * bundled build runs on the calling thread; Vitest alone reaches that branch, so the bundle
 * never ships with the app.
 */
async function createElk(): Promise<Layouter> {
  if (import.meta.env.VITEST && typeof Worker === 'undefined') {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    return new ELK();
  }
  const [{ default: ELK }, { default: workerUrl }] = await Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]);
  return new ELK({ workerFactory: () => new Worker(workerUrl, { name: 'elk layout' }) });
}

function loadElk(): Promise<Layouter> {
  elk ??= createElk().catch((error: unknown) => {
    elk = null;
    throw error;
  });
  return elk;
}

/**
 * Positions (top-left corners, whole pixels) for every node. `aspectRatio` is the width /
 * height of the room the graph should fill (the visible canvas).
 */
export async function layoutPositions(
  nodes: readonly { id: string; measured?: { width?: number; height?: number } }[],
  edges: readonly { source: string; target: string }[],
  aspectRatio = DEFAULT_ASPECT_RATIO,
): Promise<Positions> {
  if (!nodes.length) return {};
  const ids = new Set(nodes.map((n) => n.id));
  const links = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': String(LAYOUT_SPACING.node),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYOUT_SPACING.layer),
      'elk.spacing.componentComponent': String(LAYOUT_SPACING.layer),
      // Cut a long chain into rows, each row continuing the one above (read like text).
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': String(Math.min(4, Math.max(0.5, aspectRatio))),
      // Same graph, same drawing; ties keep the order nodes were added in.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
    },
    children: dataFlowOrder(nodes, links).map((n) => ({ id: n.id, width: n.measured?.width ?? DEFAULT_WIDTH, height: n.measured?.height ?? DEFAULT_HEIGHT })),
    edges: links.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  };
  const laid = await (await loadElk()).layout(graph);
  const positions: Positions = {};
  for (const child of laid.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
