import { describe, expect, it } from 'vitest';
import type { Metrics } from '../data/types';
import type { RunEvent } from './events';
import { Executor } from './executor';
import { defineNode } from './node';
import { p } from './params';
import { port } from './ports';
import type { NodeServices } from './services';
import { edge, graph, node } from './testing/graph-builder';
import { createTestRegistry, num, valueOf } from './testing/test-nodes';

/** A "file" whose contents live outside params: services.files[name]. */
interface FileServices extends NodeServices {
  files: Map<string, number>;
  executed: string[];
  saltCalls: number;
}

const readNumber = defineNode({
  type: 'util.readNumber',
  version: 1,
  title: 'Read number',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: { name: p.text('x') },
  cacheSalt: async (params, services) => {
    const fs = services as FileServices;
    fs.saltCalls++;
    const value = fs.files.get(params.name);
    if (value === undefined) throw new Error(`No file "${params.name}"`);
    return `v=${value}`;
  },
  run: async ({ nodeId, params, services }) => {
    const fs = services as FileServices;
    fs.executed.push(nodeId);
    return { out: num(fs.files.get(params.name)!) };
  },
});

const registry = createTestRegistry();
registry.register(readNumber);

function services(files: Map<string, number>): FileServices {
  return { backend: 'test', files, executed: [], saltCalls: 0 };
}

const g = graph([node('read', 'util.readNumber', { name: 'x' }), node('double', 'util.scale', { factor: 2 })], [edge('read.out', 'double.in')]);

describe('Executor cacheSalt', () => {
  it('re-executes a node and its descendants when its salt changes, and reuses them when it does not', async () => {
    const executor = new Executor(registry);
    const files = new Map([['x', 5]]);
    const first = services(files);
    await executor.run(g, { services: first });
    expect(valueOf(executor.outputsOf('double')!.outputs.out as Metrics)).toBe(10);

    const same = services(files);
    const again = await executor.run(g, { services: same });
    expect(Object.fromEntries(again.status)).toEqual({ read: 'cached', double: 'cached' });
    expect(same.saltCalls).toBe(1);
    expect(same.executed).toEqual([]);

    files.set('x', 7);
    const changed = services(files);
    // freshness() cannot read the file: it predicts with the salt of the last run.
    expect(Object.fromEntries(executor.freshness(g))).toEqual({ read: 'cached', double: 'cached' });
    const rerun = await executor.run(g, { services: changed });
    expect(Object.fromEntries(rerun.status)).toEqual({ read: 'done', double: 'done' });
    expect(changed.executed).toEqual(['read', 'double']);
    expect(valueOf(executor.outputsOf('double')!.outputs.out as Metrics)).toBe(14);
  });

  it('fails the node with the salt error (no stale cached result) and skips its descendants', async () => {
    const executor = new Executor(registry);
    const files = new Map([['x', 1]]);
    await executor.run(g, { services: services(files) });
    files.delete('x');
    const events: RunEvent[] = [];
    const result = await executor.run(g, { services: services(files), onEvent: (e) => events.push(e) });
    expect(Object.fromEntries(result.errors)).toEqual({ read: 'No file "x"' });
    expect(result.status.get('double')).toBe('skipped');
    expect(executor.outputsOf('read')).toBeUndefined();
  });

  it('freshness() says stale for a salted node that never ran', () => {
    expect(Object.fromEntries(new Executor(registry).freshness(g))).toEqual({ read: 'stale', double: 'stale' });
  });
});
