/**
 * Lays out the shipped templates (public/examples/*.json) with the editor's auto-layout
 * (ELK layered, wrapped into rows) and drops their saved viewport, so
 * each one opens fitted to whatever canvas it is opened on.
 *
 *   npx tsx scripts/layout-examples.ts
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { parseGraphFile } from '../src/engine/graph-file';
import { createRegistry } from '../src/nodes';
import { layoutPositions } from '../src/ui/canvas/layout';

const DIR = new URL('../public/examples/', import.meta.url);
/** Wider than a canvas: rows of three read best for these 7–9 node pipelines, and still fit a 1024×700 window. */
const TEMPLATE_ASPECT_RATIO = 2;

/** A node's drawn height before it has run (header, one row per port, status line), as the editor's CSS draws it. */
function nodeHeight(ports: number): number {
  return 27 + 8 + ports * 16 + Math.max(0, ports - 1) * 4 + 23;
}

async function main(): Promise<void> {
  const registry = createRegistry();
  for (const name of (await readdir(DIR)).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    const url = new URL(name, DIR);
    const text = await readFile(url, 'utf8');
    const { graph } = parseGraphFile(text, registry);
    const nodes = graph.nodes.map((node) => {
      const def = registry.get(node.type);
      const ports = def ? Math.max(1, Object.keys(def.inputs).length, Object.keys(def.outputs).length) : 1;
      return { id: node.id, measured: { width: 210, height: nodeHeight(ports) } };
    });
    const edges = graph.edges.map((e) => ({ source: e.from.node, target: e.to.node }));
    const positions = await layoutPositions(nodes, edges, TEMPLATE_ASPECT_RATIO);
    // Only the layout changes: params stay as written (defaults are not spelled out).
    const doc = JSON.parse(text) as { layout?: { positions?: Record<string, { x: number; y: number }>; viewport?: unknown } };
    doc.layout = { positions: Object.fromEntries(Object.keys(positions).sort().map((id) => [id, positions[id]])) };
    await writeFile(url, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`${name}: ${graph.nodes.length} nodes laid out`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
