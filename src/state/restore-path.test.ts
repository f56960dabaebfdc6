/**
 * The one restore path: a graph read from a file, from storage, from the clipboard or from
 * a template goes through the same parse → migrate → validate → param defaults → placeholders
 * code, with the editor's real node catalogue.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_FILE_FORMAT } from '../engine/graph-file-schema';
import { GraphStore } from '../storage/graphs';
import { freshTestDb } from '../storage/testing';
import type { PipelineStudioDb } from '../storage/db';
import { readFragment } from './convert';
import { editorRegistry, parseGraphText, restoreGraph } from './graphFile';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function fileWith(nodes: { id: string; type: string; params: Record<string, unknown>; version?: number }[], version = 1) {
  return { format: GRAPH_FILE_FORMAT, version, graph: { id: 'g1', name: 'Sparse', seed: 3, nodes, edges: [] }, layout: { positions: { [nodes[0]?.id ?? 'x']: { x: 40, y: 50 } } } };
}

async function viaStorage(doc: unknown) {
  const db: PipelineStudioDb = freshTestDb();
  const graphs = new GraphStore(db);
  cleanups.push(() => {
    graphs.close();
    db.close();
  });
  // A graph reaches storage from the editor: restored first, then saved.
  const { graph } = await restoreGraph(doc);
  await graphs.put(graph, 0);
  const record = await graphs.get(graph.id);
  return (await restoreGraph(record!.file)).graph;
}

describe('restore path', () => {
  it('completes every node type’s params with their defaults, so its checks and the inspector can read them', async () => {
    for (const def of editorRegistry().list()) {
      const { graph } = await restoreGraph(fileWith([{ id: 'n', type: def.type, params: {} }]));
      const params = graph.nodes[0].params;
      expect(Object.keys(params).sort(), def.type).toEqual(Object.keys(def.params).sort());
      // e.g. data.url's check read params.url.trim() and threw on a file without "url".
      expect(() => def.check?.(params as never), def.type).not.toThrow();
    }
  });

  it('gives the same graph from a file, from storage and from the clipboard', async () => {
    const doc = fileWith([
      { id: 'url', type: 'data.url', params: {} },
      { id: 'old', type: 'retired.node', version: 3, params: { keep: [1, 2] } },
    ]);
    const fromFile = (await parseGraphText(JSON.stringify(doc))).graph;
    expect(fromFile.nodes[0].params).toMatchObject({ url: '' });
    expect(fromFile.nodes[0].position).toEqual({ x: 40, y: 50 });
    expect(fromFile.nodes[1]).toMatchObject({ params: { keep: [1, 2] }, placeholder: { originalType: 'retired.node', originalVersion: 3 } });

    expect(await viaStorage(doc)).toEqual(fromFile);
    const fragment = (await readFragment(JSON.stringify(doc)))!;
    expect(fragment.nodes).toEqual(fromFile.nodes);
  });

  it('refuses a graph file of an unknown future version, naming the version', async () => {
    const future = JSON.stringify(fileWith([{ id: 'a', type: 'data.url', params: {} }], 5));
    await expect(parseGraphText(future)).rejects.toThrow(/version: this file is version 5, newer than this app reads \(1\)/);
    await expect(readFragment(future)).rejects.toThrow(/version 5/);
  });

  it('reads every shipped template', async () => {
    const examples = ['iris-mlp', 'penguins-mlp', 'cars-regression'];
    for (const name of examples) {
      const text = await readFile(new URL(`../../public/examples/${name}.json`, import.meta.url), 'utf8');
      const { graph, warnings } = await parseGraphText(text);
      expect(warnings, name).toEqual([]);
      for (const node of graph.nodes) expect(Object.keys(node.params).sort(), `${name} ${node.id}`).toEqual(Object.keys(editorRegistry().get(node.type)!.params).sort());
    }
  });
});
