import { describe, expect, it } from 'vitest';
import { defineNode } from './node';
import { p } from './params';
import { port } from './ports';
import { NodeRegistry } from './registry';
import { TEST_NODES, constantNode, createTestRegistry } from './testing/test-nodes';

const noop = async () => ({});

describe('NodeRegistry', () => {
  it('registers and lists node types, grouped by stage', () => {
    const registry = createTestRegistry();
    expect(registry.list()).toHaveLength(TEST_NODES.length);
    expect(registry.get('util.constant')).toBe(constantNode);
    expect(registry.has('util.nope')).toBe(false);
    expect(registry.byStage().get('util')).toHaveLength(TEST_NODES.length);
  });

  it('refuses a duplicate type id', () => {
    const registry = new NodeRegistry([constantNode]);
    expect(() => registry.register(constantNode)).toThrow(/already registered/);
  });

  it('refuses a default that fails its own spec', () => {
    const bad = defineNode({
      type: 'util.bad',
      version: 1,
      title: 'Bad',
      stage: 'util',
      inputs: {},
      outputs: { out: port('metrics') },
      params: { count: p.int(0, { min: 1 }) },
      run: noop as never,
    });
    expect(() => new NodeRegistry([bad])).toThrow(/default of param "count" must be ≥ 1/);
    const badSelect = defineNode({
      type: 'util.badSelect',
      version: 1,
      title: 'Bad select',
      stage: 'util',
      inputs: {},
      outputs: {},
      params: { mode: p.select(['a', 'b'], 'c' as 'a') },
      run: noop as never,
    });
    expect(() => new NodeRegistry([badSelect])).toThrow(/must be one of a, b/);
  });

  it('refuses type ids that do not follow stage.name', () => {
    const def = { type: 'Bad Name', version: 1, title: 'x', stage: 'util', inputs: {}, outputs: {}, params: {}, run: noop } as const;
    expect(() => defineNode(def as never)).toThrow(/stage\.name/);
    expect(() => defineNode({ ...def, type: 'prep.scale' } as never)).toThrow(/must start with its stage/);
  });
});
