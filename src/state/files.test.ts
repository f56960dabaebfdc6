import { beforeAll, describe, expect, it } from 'vitest';
import { setCatalogue } from './catalogue';
import { isDataFileName, isGraphFile, newFileToken } from './files';
import { createEditorStore } from './store';
import { TEST_NODES } from './testNodes';

beforeAll(() => setCatalogue(TEST_NODES));

function named(text: string, name: string): Blob & { name: string } {
  return Object.assign(new Blob([text]), { name });
}

describe('dropped files', () => {
  it('tells data files by their extension, case-insensitively', () => {
    for (const name of ['a.csv', 'B.TSV', 'x.txt', 'rows.json', 'log.jsonl', 'log.ndjson']) expect(isDataFileName(name), name).toBe(true);
    for (const name of ['photo.png', 'model.zip', 'csv', 'notes.csv.gz']) expect(isDataFileName(name), name).toBe(false);
  });

  it('tells a graph file from JSON data by the format name at its start', async () => {
    expect(await isGraphFile(named('{\n  "format": "pipeline-studio.graph",\n  "graph": {}\n}', 'pipeline.json'))).toBe(true);
    expect(await isGraphFile(named('[{"a": 1}, {"a": 2}]', 'rows.json'))).toBe(false);
    // Not JSON by name: never a graph, whatever it holds.
    expect(await isGraphFile(named('"pipeline-studio.graph"', 'rows.csv'))).toBe(false);
  });

  it('makes a fresh token per pick', () => {
    const a = newFileToken();
    const b = newFileToken();
    expect(a).toMatch(/^file-[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });
});

describe('addNode with initial params and patchNode', () => {
  it('adds a node with params over its defaults and a label, in one undo step', () => {
    const store = createEditorStore();
    const id = store.getState().addNode('prep.scale', { x: 10.4, y: 20.6 }, { params: { method: 'minmax' }, label: 'Scaled' });
    const node = store.getState().nodes.find((n) => n.id === id)!;
    expect(node.params.method).toBe('minmax');
    expect(node.params.epochs).toBe(10);
    expect(node.label).toBe('Scaled');
    expect(node.position).toEqual({ x: 10, y: 21 });
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(0);
  });

  it('patches several params and the label of one node in one undo step, leaving others alone', () => {
    const store = createEditorStore();
    const a = store.getState().addNode('prep.scale', { x: 0, y: 0 });
    const b = store.getState().addNode('prep.scale', { x: 300, y: 0 });
    store.getState().patchNode(a, { params: { method: 'minmax', epochs: 3 }, label: 'A' });
    const [na, nb] = [a, b].map((id) => store.getState().nodes.find((n) => n.id === id)!);
    expect(na.params).toMatchObject({ method: 'minmax', epochs: 3 });
    expect(na.label).toBe('A');
    expect(nb.params).toMatchObject({ method: 'standard', epochs: 10 });
    store.getState().undo();
    const restored = store.getState().nodes.find((n) => n.id === a)!;
    expect(restored.params).toMatchObject({ method: 'standard', epochs: 10 });
    expect(restored.label).toBeUndefined();
  });
});
