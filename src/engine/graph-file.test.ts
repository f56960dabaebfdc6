import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Graph } from './graph';
import { GraphFileError, graphFileMigrations, parseGraphFile, serializeGraph } from './graph-file';
import { graphFileJsonSchemaText } from './graph-file-schema';
import { edge, graph, node } from './testing/graph-builder';
import { createTestRegistry } from './testing/test-nodes';
import { validateGraph } from './validate';

const registry = createTestRegistry();

const sample: Graph = graph(
  [
    node('sum', 'util.add', { offset: 1 }, { position: { x: 200, y: 10 }, version: 1, label: 'Total' }),
    node('a', 'util.constant', { value: 2 }, { position: { x: 0, y: 0 }, version: 1 }),
    node('b', 'util.constant', { value: 3.5 }, { position: { x: 0, y: 120.25 }, version: 1 }),
  ],
  [edge('b.out', 'sum.b', 'e2'), edge('a.out', 'sum.a', 'e1')],
  { id: 'graph-1', name: 'Sum two', seed: 7, viewport: { x: 5, y: -4, zoom: 1.5 } },
);

function importError(text: string): GraphFileError {
  try {
    parseGraphFile(text, registry);
  } catch (error) {
    if (error instanceof GraphFileError) return error;
    throw error;
  }
  throw new Error('expected a GraphFileError');
}

describe('serializeGraph', () => {
  it('writes the v1 envelope with sorted keys, 2-space indent, nodes and edges by id, layout apart', () => {
    const text = serializeGraph(sample);
    expect(text.endsWith('}\n')).toBe(true);
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['format', 'graph', 'layout', 'version']);
    expect(doc.format).toBe('pipeline-studio.graph');
    expect(doc.version).toBe(1);
    expect(doc.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['a', 'b', 'sum']);
    expect(doc.graph.edges.map((e: { id: string }) => e.id)).toEqual(['e1', 'e2']);
    expect(doc.graph.nodes[2]).toEqual({ id: 'sum', type: 'util.add', version: 1, params: { offset: 1 }, label: 'Total' });
    expect(doc.layout).toEqual({ positions: { a: { x: 0, y: 0 }, b: { x: 0, y: 120.25 }, sum: { x: 200, y: 10 } }, viewport: { x: 5, y: -4, zoom: 1.5 } });
    expect(text).toContain('\n  "format": "pipeline-studio.graph",\n');
  });

  it('with a registry, writes the current type version for nodes that have none', () => {
    const unversioned = graph([node('a', 'util.versioned', { value: 1 }), node('u', 'vendor.other', { k: 1 })]);
    const text = serializeGraph(unversioned, registry);
    expect(JSON.parse(text).graph.nodes).toEqual([
      { id: 'a', type: 'util.versioned', version: 2, params: { value: 1 } },
      { id: 'u', type: 'vendor.other', params: { k: 1 } },
    ]);
    expect(serializeGraph(parseGraphFile(text, registry).graph, registry)).toBe(text);
    expect(JSON.parse(serializeGraph(unversioned)).graph.nodes[0].version).toBeUndefined();
  });

  it('gives the same bytes whatever the order of arrays and param keys', () => {
    const reordered: Graph = {
      ...sample,
      nodes: [...sample.nodes].reverse().map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).reverse()) })),
      edges: [...sample.edges].reverse(),
    };
    expect(serializeGraph(reordered)).toBe(serializeGraph(sample));
  });

  it('export → import → export is byte-identical', () => {
    const first = serializeGraph(sample);
    const { graph: imported, warnings } = parseGraphFile(first, registry);
    expect(warnings).toEqual([]);
    expect(serializeGraph(imported)).toBe(first);
    expect(imported.nodes.find((n) => n.id === 'sum')).toEqual({
      id: 'sum',
      type: 'util.add',
      params: { offset: 1 },
      position: { x: 200, y: 10 },
      label: 'Total',
      version: 1,
    });
    expect(imported.viewport).toEqual({ x: 5, y: -4, zoom: 1.5 });
  });

  it('keeps a disabled node disabled through export → import, and writes nothing for an enabled one', () => {
    const enabledText = serializeGraph(sample);
    expect(enabledText).not.toContain('disabled');
    const muted: Graph = { ...sample, nodes: sample.nodes.map((n) => (n.id === 'a' ? { ...n, disabled: true as const } : n)) };
    const text = serializeGraph(muted);
    const fileNode = JSON.parse(text).graph.nodes.find((n: { id: string }) => n.id === 'a');
    expect(fileNode).toEqual({ id: 'a', type: 'util.constant', version: 1, params: { value: 2 }, disabled: true });
    const { graph: imported, warnings } = parseGraphFile(text, registry);
    expect(warnings).toEqual([]);
    expect(imported.nodes.find((n) => n.id === 'a')?.disabled).toBe(true);
    expect(imported.nodes.find((n) => n.id === 'b')).not.toHaveProperty('disabled');
    expect(serializeGraph(imported)).toBe(text);
    // Enabling it again gives the old file's bytes back.
    expect(serializeGraph({ ...imported, nodes: imported.nodes.map(({ disabled: _disabled, ...n }) => n) })).toBe(enabledText);
  });

  it('refuses a disabled flag other than true, located', () => {
    const doc = JSON.parse(serializeGraph(sample));
    doc.graph.nodes[0].disabled = 'yes';
    expect(importError(JSON.stringify(doc)).message).toMatch(/graph\.nodes\[0\]\.disabled/);
  });
});

describe('parseGraphFile', () => {
  it('reports JSON syntax errors with line and column', () => {
    const error = importError('{\n  "format": "pipeline-studio.graph",\n  "version": 1,\n}\n');
    expect(error.issues).toEqual([
      { path: '', line: 4, column: 1, message: 'not valid JSON at line 4, column 1: expected a double-quoted property name, found "}"' },
    ]);
    expect(error.message).toBe('not valid JSON at line 4, column 1: expected a double-quoted property name, found "}"');
    expect(importError('').message).toBe('not valid JSON at line 1, column 1: expected a value, found the end of the text');
    expect(importError('{"a": "b\nc"}').issues[0]).toMatchObject({ line: 1, column: 9 });
    expect(importError('[1, 2,]').issues[0].message).toBe('not valid JSON at line 1, column 7: expected a value, found "]"');
    expect(importError('{"a": 1} x').issues[0].message).toBe('not valid JSON at line 1, column 10: unexpected "x" after the end of the JSON value');
  });

  it('locates every schema problem with a path', () => {
    const doc = JSON.parse(serializeGraph(sample));
    doc.graph.nodes[1].params = [];
    doc.graph.nodes[2].id = '';
    doc.graph.edges[0].from = { node: 'a' };
    doc.graph.seed = -1;
    doc.layout.positions.a = { x: 'left', y: 0 };
    const error = importError(JSON.stringify(doc));
    expect(error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'graph.seed: Too small: expected number to be >=0',
      'graph.nodes[1].params: expected object',
      'graph.nodes[2].id: expected a non-empty id',
      'graph.edges[0].from.port: expected string, received undefined',
      'layout.positions.a.x: expected number, received string',
    ]);
    expect(error.message.split('\n')).toHaveLength(5);
  });

  it('refuses documents that are not graph files, and future versions', () => {
    expect(importError('[]').message).toBe('expected a JSON object (a Pipeline Studio graph file)');
    expect(importError('{"nodes": []}').message).toMatch(/^format: missing: not a Pipeline Studio graph file/);
    expect(importError('{"format": "excalidraw"}').message).toBe('format: expected "pipeline-studio.graph", found "excalidraw"');
    expect(importError('{"format": "pipeline-studio.graph", "version": "1"}').message).toBe('version: expected a whole number, found "1"');
    expect(importError('{"format": "pipeline-studio.graph", "version": 2, "graph": {}}').message).toBe(
      'version: this file is version 2, newer than this app reads (1); update Pipeline Studio to open it',
    );
  });

  it('refuses duplicate node or edge ids, located', () => {
    const doc = JSON.parse(serializeGraph(sample));
    doc.graph.nodes[2].id = 'a';
    doc.graph.edges[1].id = 'e1';
    expect(importError(JSON.stringify(doc)).issues).toEqual([
      { path: 'graph.nodes[2].id', message: 'duplicate node id "a" (also graph.nodes[0])' },
      { path: 'graph.edges[1].id', message: 'duplicate edge id "e1" (also graph.edges[0])' },
    ]);
  });

  it('drops dangling edges and stray positions with warnings', () => {
    const doc = JSON.parse(serializeGraph(sample));
    doc.graph.edges.push({ id: 'e9', from: { node: 'ghost', port: 'out' }, to: { node: 'sum', port: 'a' } });
    doc.layout.positions.ghost = { x: 1, y: 1 };
    const { graph: g, warnings } = parseGraphFile(JSON.stringify(doc), registry);
    expect(g.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(warnings).toEqual([
      'layout.positions.ghost: no node "ghost"; position ignored',
      'graph.edges[2]: edge "e9" refers to missing node "ghost"; dropped',
    ]);
  });

  it('keeps an unknown node type as a placeholder that exports unchanged', () => {
    const doc = JSON.parse(serializeGraph(sample));
    doc.graph.nodes.push({ id: 'x', type: 'vendor.magic', version: 4, params: { z: [1, { deep: true }], a: 'b' }, label: 'Magic' });
    doc.graph.edges.push({ id: 'e3', from: { node: 'sum', port: 'out' }, to: { node: 'x', port: 'anything' } });
    doc.layout.positions.x = { x: 9, y: 9 };
    const text = serializeGraph(parseGraphFile(JSON.stringify(doc)).graph);
    const { graph: g, warnings } = parseGraphFile(text, registry);
    expect(warnings).toEqual(['graph.nodes[3]: Unknown node type "vendor.magic"; kept as a placeholder (its params are kept as they are)']);
    const placeholder = g.nodes.find((n) => n.id === 'x')!;
    expect(placeholder.placeholder).toEqual({ originalType: 'vendor.magic', originalVersion: 4, reason: 'Unknown node type "vendor.magic"' });
    expect(placeholder.params).toEqual({ z: [1, { deep: true }], a: 'b' });
    expect(serializeGraph(g)).toBe(text);
    // It blocks a run that needs it, not one that does not.
    expect(validateGraph(g, registry).filter((p) => p.nodeId === 'x').map((p) => p.message)).toEqual([
      'Unknown node type "vendor.magic": this node cannot run',
    ]);
    expect(validateGraph(g, registry, { targets: ['sum'] })).toEqual([]);
  });

  it('migrates per-node-type params when the stored node version is older', () => {
    const doc = JSON.parse(serializeGraph(graph([node('v', 'util.versioned', { amount: 12 }, { version: 1 })])));
    const { graph: g, warnings } = parseGraphFile(JSON.stringify(doc), registry);
    expect(g.nodes[0]).toMatchObject({ params: { value: 12 }, version: 2 });
    expect(warnings).toEqual(['graph.nodes[0]: params of "util.versioned" migrated from v1 to v2']);
    // Without a registry nothing is migrated or marked.
    expect(parseGraphFile(JSON.stringify(doc)).graph.nodes[0]).toMatchObject({ params: { amount: 12 }, version: 1 });
  });

  it('warns about nodes saved by a newer node type version and keeps them as they are', () => {
    const text = serializeGraph(graph([node('v', 'util.versioned', { value: 1, more: 2 }, { version: 5 })]));
    const { graph: g, warnings } = parseGraphFile(text, registry);
    expect(warnings).toEqual(['graph.nodes[0]: saved by a newer version (v5) of "util.versioned" than this app knows (v2)']);
    expect(serializeGraph(g)).toBe(text);
  });

  it('strips a byte-order mark', () => {
    expect(parseGraphFile(`\ufeff${serializeGraph(sample)}`, registry).graph.id).toBe('graph-1');
  });
});

describe('file migrations', () => {
  const v0 = {
    kind: 'pipeline-studio',
    name: 'Old pipeline',
    nodes: [
      { id: 'a', type: 'util.constant', params: { value: 4 }, x: 10, y: 20 },
      { id: 'v', type: 'util.versioned', params: { amount: 3 }, x: 10, y: 120 },
      { id: 's', type: 'util.add', x: 200, y: 20 },
    ],
    links: [
      ['a', 'out', 's', 'a'],
      ['v', 'out', 's', 'b'],
    ],
  };

  it('upgrades v0 (positional links, positions on nodes) to v1 step by step', () => {
    const { graph: g, warnings } = parseGraphFile(JSON.stringify(v0), registry);
    expect(g.name).toBe('Old pipeline');
    expect(g.seed).toBe(0);
    expect(g.id).toMatch(/^g-[0-9a-f]{12}$/);
    expect(g.nodes).toEqual([
      { id: 'a', type: 'util.constant', params: { value: 4 }, position: { x: 10, y: 20 }, version: 1 },
      { id: 'v', type: 'util.versioned', params: { value: 3 }, position: { x: 10, y: 120 }, version: 2 },
      // A param the file leaves out is completed with its default.
      { id: 's', type: 'util.add', params: { offset: 0 }, position: { x: 200, y: 20 }, version: 1 },
    ]);
    expect(g.edges).toEqual([
      { id: 'a.out->s.a', from: { node: 'a', port: 'out' }, to: { node: 's', port: 'a' } },
      { id: 'v.out->s.b', from: { node: 'v', port: 'out' }, to: { node: 's', port: 'b' } },
    ]);
    expect(warnings).toEqual(['graph.nodes[1]: params of "util.versioned" migrated from v1 to v2']);
    expect(validateGraph(g, registry)).toEqual([]);
    // Same v0 content, same graph id; and once in v1 it round-trips.
    expect(parseGraphFile(JSON.stringify(v0), registry).graph.id).toBe(g.id);
    const text = serializeGraph(g);
    expect(serializeGraph(parseGraphFile(text, registry).graph)).toBe(text);
  });

  it('gives duplicate v0 links distinct edge ids', () => {
    const doc = graphFileMigrations[0]({ ...v0, links: [...v0.links, ['a', 'out', 's', 'a']] }) as { graph: { edges: { id: string }[] } };
    expect(doc.graph.edges.map((e) => e.id)).toEqual(['a.out->s.a', 'v.out->s.b', 'a.out->s.a#2']);
  });

  it('locates problems inside a v0 file', () => {
    const bad = { ...v0, links: [['a', 'out', 's']], nodes: [{ id: 'a', type: 'util.constant', x: 'left', y: 0 }] };
    expect(importError(JSON.stringify(bad)).issues.map((i) => i.path)).toEqual(['nodes[0].x', 'links[0]']);
  });
});

describe('JSON Schema', () => {
  it('the committed schema/graph-file.v1.schema.json is the one generated from the zod schema (npm run schema)', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../schema/graph-file.v1.schema.json', import.meta.url)), 'utf8');
    expect(committed).toBe(graphFileJsonSchemaText());
    const schema = JSON.parse(committed);
    expect(schema.properties.format.const).toBe('pipeline-studio.graph');
    expect(schema.required).toEqual(['format', 'version', 'graph']);
  });
});
