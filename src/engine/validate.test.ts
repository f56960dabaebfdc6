import { describe, expect, it } from 'vitest';
import { edge, graph, node } from './testing/graph-builder';
import { createTestRegistry } from './testing/test-nodes';
import { validateGraph, type Problem } from './validate';

const registry = createTestRegistry();
const errors = (problems: Problem[]) => problems.filter((p) => p.level === 'error');

describe('validateGraph', () => {
  it('finds nothing wrong in a valid graph', () => {
    const g = graph(
      [node('a', 'util.constant', { value: 2 }), node('b', 'util.constant'), node('s', 'util.add', { offset: 1 })],
      [edge('a.out', 's.a'), edge('b.out', 's.b')],
    );
    expect(validateGraph(g, registry)).toEqual([]);
  });

  it('names every node of a cycle', () => {
    const g = graph(
      [node('a', 'util.constant'), node('x', 'util.add', {}, { label: 'Sum' }), node('y', 'util.scale')],
      [edge('a.out', 'x.a'), edge('x.out', 'y.in'), edge('y.out', 'x.b')],
    );
    const problems = validateGraph(g, registry);
    expect(problems).toEqual([
      { level: 'error', nodeId: 'x', message: 'Cycle: "Sum" (x) → y → "Sum" (x)' },
      { level: 'error', nodeId: 'y', message: 'Cycle: "Sum" (x) → y → "Sum" (x)' },
    ]);
  });

  it('reports a port type mismatch on the receiving input', () => {
    const g = graph([node('r', 'util.rows'), node('s', 'util.scale')], [edge('r.table', 's.in', 'e1')]);
    expect(validateGraph(g, registry)).toEqual([
      { level: 'error', edgeId: 'e1', nodeId: 's', port: 'in', message: 'Input "in" expects metrics but r.table gives table' },
    ]);
  });

  it('reports unknown output and input port names', () => {
    const g = graph([node('a', 'util.constant'), node('s', 'util.scale')], [edge('a.nope', 's.in', 'e1'), edge('a.out', 's.zap', 'e2')]);
    const problems = validateGraph(g, registry);
    expect(problems).toContainEqual({ level: 'error', edgeId: 'e1', nodeId: 'a', port: 'nope', message: 'Constant has no output "nope" (outputs: out)' });
    expect(problems).toContainEqual({ level: 'error', edgeId: 'e2', nodeId: 's', port: 'zap', message: 'Scale has no input "zap" (inputs: in)' });
    // "in" has an edge (e1, from a port that does not exist): one problem about it is enough.
    expect(problems).toHaveLength(2);
  });

  it('refuses node and edge ids that name object properties (__proto__, constructor, prototype)', () => {
    const g = graph([node('__proto__', 'util.constant'), node('constructor', 'util.constant'), node('s', 'util.scale')], [edge('__proto__.out', 's.in', 'prototype')]);
    expect(errors(validateGraph(g, registry))).toEqual([
      { level: 'error', nodeId: '__proto__', message: 'Node id "__proto__" is reserved: give the node another id' },
      { level: 'error', nodeId: 'constructor', message: 'Node id "constructor" is reserved: give the node another id' },
      { level: 'error', edgeId: 'prototype', message: 'Edge id "prototype" is reserved: give the edge another id' },
    ]);
  });

  it('does not mistake inherited properties for ports or params', () => {
    const g = graph([node('a', 'util.constant', { value: 1 }), node('s', 'util.scale', { constructor: 1 })], [edge('a.constructor', 's.toString', 'e1')]);
    const problems = validateGraph(g, registry);
    expect(problems).toContainEqual({ level: 'error', edgeId: 'e1', nodeId: 'a', port: 'constructor', message: 'Constant has no output "constructor" (outputs: out)' });
    expect(problems).toContainEqual({ level: 'error', edgeId: 'e1', nodeId: 's', port: 'toString', message: 'Scale has no input "toString" (inputs: in)' });
    expect(problems).toContainEqual({ level: 'warning', nodeId: 's', param: 'constructor', message: 'Unknown param "constructor" for Scale: it is ignored' });
  });

  it('reports a second edge into one input', () => {
    const g = graph(
      [node('a', 'util.constant'), node('b', 'util.constant'), node('s', 'util.scale')],
      [edge('a.out', 's.in', 'e1'), edge('b.out', 's.in', 'e2')],
    );
    expect(validateGraph(g, registry)).toEqual([
      { level: 'error', edgeId: 'e2', nodeId: 's', port: 'in', message: 'Input "in" of s already has an edge (e1); an input takes one edge' },
    ]);
  });

  it('reports a required input left unconnected, not an optional one', () => {
    const g = graph([node('s', 'util.add')]);
    expect(validateGraph(g, registry)).toEqual([{ level: 'error', nodeId: 's', port: 'a', message: 'Required input "a" is not connected' }]);
  });

  it('keeps what would stop a disabled node, or a node below one, from running as a warning, not an error', () => {
    const g = graph(
      [node('s', 'util.add', { offset: Number.NaN }, { disabled: true }), node('t', 'util.scale', { factor: 'x' }), node('u', 'util.scale', { factor: 'x' })],
      [edge('s.out', 't.in')],
    );
    const problems = validateGraph(g, registry);
    const nodesOf = (list: Problem[]) => [...new Set(list.map((p) => p.nodeId))].sort();
    expect(nodesOf(errors(problems))).toEqual(['u']);
    expect(nodesOf(problems.filter((p) => p.level === 'warning'))).toEqual(['s', 't']);
  });

  it('reports params out of range or of the wrong type, one problem each', () => {
    const g = graph([
      node('a', 'util.constant', { value: 5e6 }),
      node('b', 'util.constant', { value: 'seven' }),
      node('c', 'util.scale', { factor: 1, mode: 'square' }),
      node('d', 'util.label', { text: 'ABC', enabled: 'yes', sizes: [1, 0], columns: 'x' }),
    ]);
    const problems = errors(validateGraph(g, registry)).filter((p) => p.param);
    expect(problems).toEqual([
      { level: 'error', nodeId: 'a', param: 'value', message: 'value must be ≤ 1000000' },
      { level: 'error', nodeId: 'b', param: 'value', message: 'value must be a number' },
      { level: 'error', nodeId: 'c', param: 'mode', message: 'mode must be one of multiply, divide' },
      { level: 'error', nodeId: 'd', param: 'text', message: 'text does not match [a-z]*' },
      { level: 'error', nodeId: 'd', param: 'enabled', message: 'enabled must be true or false' },
      { level: 'error', nodeId: 'd', param: 'sizes', message: 'sizes every item must be ≥ 1' },
      { level: 'error', nodeId: 'd', param: 'columns', message: 'columns must be a list of column names' },
    ]);
  });

  it('runs the node type cross-param check once every param is well-typed', () => {
    const bad = graph([node('r', 'util.range', { low: 5, high: 1 })]);
    expect(validateGraph(bad, registry)).toEqual([{ level: 'error', nodeId: 'r', param: 'high', message: 'High (1) must be ≥ low (5)' }]);
    const badType = graph([node('r', 'util.range', { low: 5, high: 'x' })]);
    expect(validateGraph(badType, registry).map((p) => p.message)).toEqual(['high must be a number']);
  });

  it('warns about unknown param names', () => {
    const g = graph([node('a', 'util.constant', { value: 1, colour: 'red' })]);
    expect(validateGraph(g, registry)).toEqual([
      { level: 'warning', nodeId: 'a', param: 'colour', message: 'Unknown param "colour" for Constant: it is ignored' },
    ]);
  });

  it('fills missing params from defaults rather than reporting them', () => {
    expect(validateGraph(graph([node('a', 'util.label')]), registry)).toEqual([]);
  });

  it('reports an unknown type or placeholder only when the run plan needs it', () => {
    const g = graph(
      [
        node('a', 'util.constant'),
        node('p', 'vendor.magic', { x: 1 }, { placeholder: { originalType: 'vendor.magic', reason: 'Unknown node type "vendor.magic"' } }),
        node('u', 'util.nothing'),
      ],
      [],
    );
    expect(validateGraph(g, registry)).toEqual([
      { level: 'error', nodeId: 'p', message: 'Unknown node type "vendor.magic": this node cannot run' },
      { level: 'error', nodeId: 'u', message: 'Unknown node type "util.nothing": this node cannot run' },
    ]);
    expect(validateGraph(g, registry, { targets: ['a'] })).toEqual([]);
  });

  it('reports edges to missing nodes', () => {
    const g = graph([node('a', 'util.constant')], [edge('a.out', 'ghost.in', 'e1'), edge('gone.out', 'void.in', 'e2')]);
    expect(validateGraph(g, registry)).toEqual([
      { level: 'error', edgeId: 'e1', nodeId: 'a', message: 'Edge e1 connects to missing node "ghost"' },
      { level: 'error', edgeId: 'e2', message: 'Edge e2 connects to missing nodes "gone" and "void"' },
    ]);
  });

  it('reports duplicate node and edge ids, and unknown run targets', () => {
    const g = graph(
      [node('a', 'util.constant'), node('a', 'util.constant'), node('s', 'util.scale')],
      [edge('a.out', 's.in', 'e1'), edge('a.out', 's.in', 'e1')],
    );
    const messages = validateGraph(g, registry, { targets: ['s', 'zz'] }).map((p) => p.message);
    expect(messages).toContain('Node id "a" is used by more than one node');
    expect(messages).toContain('Edge id "e1" is used by more than one edge');
    expect(messages).toContain('Run target "zz" is not in the graph');
  });

  it('reports params saved by a newer node version, and migrates older ones before checking', () => {
    const newer = graph([node('v', 'util.versioned', { value: 1 }, { version: 3 })]);
    expect(validateGraph(newer, registry)).toEqual([
      { level: 'error', nodeId: 'v', message: 'Params was saved by a newer version (v3) of "util.versioned"; this app knows v2' },
    ]);
    const older = graph([node('v', 'util.versioned', { amount: 500 }, { version: 1 })]);
    expect(validateGraph(older, registry)).toEqual([{ level: 'error', nodeId: 'v', param: 'value', message: 'value must be ≤ 100' }]);
    const olderOk = graph([node('v', 'util.versioned', { amount: 5 }, { version: 1 })]);
    expect(validateGraph(olderOk, registry)).toEqual([]);
  });
});
