/**
 * Graph validation: every problem at once, each tied to the node, param, port or edge it
 * is about, so the editor can mark the spot and a run can fail only the nodes concerned.
 */
import type { Graph, GraphNode } from './graph';
import { checkParam } from './params';
import { findCycles, liveEdges, planRun, type PlanOptions } from './plan';
import { canConnect } from './ports';
import type { NodeRegistry } from './registry';
import { errorMessage, resolveNodeParams } from './node-params';

export interface Problem {
  level: 'error' | 'warning';
  message: string;
  nodeId?: string;
  edgeId?: string;
  param?: string;
  port?: string;
}

export type ValidateOptions = PlanOptions;

/**
 * Ids that name a property every object has. Per-node state is kept in Maps, but ids also
 * key plain JSON (a run report, a graph file's layout): `__proto__` there would replace the
 * object's prototype instead of adding an entry, so these ids are refused.
 */
const RESERVED_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedId(id: string): boolean {
  return RESERVED_IDS.has(id);
}

/** `spec[name]` only when `name` is the record's own key (never an inherited `constructor`, `__proto__`…). */
function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** How messages name a node: its label when it has one, always its id. */
export function describeNode(node: GraphNode | undefined, id: string): string {
  return node?.label ? `"${node.label}" (${id})` : id;
}

/**
 * All problems of `graph` against `registry`. Placeholder / unknown node types are
 * problems only when the run plan for `options.targets` (all sinks by default) needs them.
 */
export function validateGraph(graph: Graph, registry: NodeRegistry, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, GraphNode>();

  for (const node of graph.nodes) {
    if (isReservedId(node.id)) {
      problems.push({ level: 'error', nodeId: node.id, message: `Node id "${node.id}" is reserved: give the node another id` });
    }
    if (byId.has(node.id)) {
      problems.push({ level: 'error', nodeId: node.id, message: `Node id "${node.id}" is used by more than one node` });
    } else {
      byId.set(node.id, node);
    }
  }
  const edgeIds = new Set<string>();
  for (const edge of graph.edges) {
    if (isReservedId(edge.id)) {
      problems.push({ level: 'error', edgeId: edge.id, message: `Edge id "${edge.id}" is reserved: give the edge another id` });
    }
    if (edgeIds.has(edge.id)) {
      problems.push({ level: 'error', edgeId: edge.id, message: `Edge id "${edge.id}" is used by more than one edge` });
    }
    edgeIds.add(edge.id);
  }

  // Which nodes the run needs; unknown targets are reported rather than thrown here.
  const knownTargets = (options.targets ?? []).filter((id) => byId.has(id));
  for (const id of options.targets ?? []) {
    if (!byId.has(id)) problems.push({ level: 'error', nodeId: id, message: `Run target "${id}" is not in the graph` });
  }
  const plan = planRun(graph, { targets: knownTargets });
  const planned = new Set([...plan.order, ...plan.blocked]);

  for (const node of graph.nodes) {
    const def = node.placeholder ? undefined : registry.get(node.type);
    if (!def) {
      if (planned.has(node.id)) {
        const reason = node.placeholder?.reason ?? `Unknown node type "${node.type}"`;
        problems.push({ level: 'error', nodeId: node.id, message: `${reason}: this node cannot run` });
      }
      continue;
    }
    const resolved = resolveNodeParams(node, def);
    if (!resolved.ok) {
      problems.push({ level: 'error', nodeId: node.id, message: `Params ${resolved.message}` });
      continue;
    }
    let paramsValid = true;
    for (const [name, spec] of Object.entries(def.params)) {
      const message = checkParam(spec, resolved.params[name]);
      if (message) {
        paramsValid = false;
        problems.push({ level: 'error', nodeId: node.id, param: name, message: `${spec.label ?? name} ${message}` });
      }
    }
    for (const name of Object.keys(resolved.params)) {
      if (!Object.hasOwn(def.params, name)) {
        problems.push({
          level: 'warning',
          nodeId: node.id,
          param: name,
          message: `Unknown param "${name}" for ${def.title}: it is ignored`,
        });
      }
    }
    // Cross-param checks assume each param is well-typed, so only run them then.
    if (paramsValid && def.check) {
      try {
        const messages = def.check(resolved.params as never) ?? {};
        for (const [name, message] of Object.entries(messages)) {
          problems.push({ level: 'error', nodeId: node.id, param: name, message });
        }
      } catch (error) {
        problems.push({ level: 'error', nodeId: node.id, message: `Param check failed: ${errorMessage(error)}` });
      }
    }
  }

  // Edges: dangling ends, unknown ports, type mismatch, several edges into one input.
  const connectedInputs = new Map<string, string>();
  for (const edge of graph.edges) {
    const fromNode = byId.get(edge.from.node);
    const toNode = byId.get(edge.to.node);
    if (!fromNode || !toNode) {
      const missing = [!fromNode ? edge.from.node : null, !toNode ? edge.to.node : null].filter((x) => x !== null);
      const attachedTo = fromNode ? edge.from.node : toNode ? edge.to.node : undefined;
      problems.push({
        level: 'error',
        edgeId: edge.id,
        ...(attachedTo ? { nodeId: attachedTo } : {}),
        message: `Edge ${edge.id} connects to missing node${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(' and ')}`,
      });
      continue;
    }
    const inputKey = `${edge.to.node}\u0000${edge.to.port}`;
    const earlier = connectedInputs.get(inputKey);
    if (earlier !== undefined) {
      problems.push({
        level: 'error',
        edgeId: edge.id,
        nodeId: edge.to.node,
        port: edge.to.port,
        message: `Input "${edge.to.port}" of ${describeNode(toNode, toNode.id)} already has an edge (${earlier}); an input takes one edge`,
      });
    } else {
      connectedInputs.set(inputKey, edge.id);
    }

    const fromDef = fromNode.placeholder ? undefined : registry.get(fromNode.type);
    const toDef = toNode.placeholder ? undefined : registry.get(toNode.type);
    const outSpec = fromDef ? own(fromDef.outputs, edge.from.port) : undefined;
    const inSpec = toDef ? own(toDef.inputs, edge.to.port) : undefined;
    if (fromDef && !outSpec) {
      problems.push({
        level: 'error',
        edgeId: edge.id,
        nodeId: fromNode.id,
        port: edge.from.port,
        message: `${fromDef.title} has no output "${edge.from.port}" (outputs: ${Object.keys(fromDef.outputs).join(', ') || 'none'})`,
      });
    }
    if (toDef && !inSpec) {
      problems.push({
        level: 'error',
        edgeId: edge.id,
        nodeId: toNode.id,
        port: edge.to.port,
        message: `${toDef.title} has no input "${edge.to.port}" (inputs: ${Object.keys(toDef.inputs).join(', ') || 'none'})`,
      });
    }
    if (outSpec && inSpec && !canConnect(outSpec.type, inSpec.type)) {
      problems.push({
        level: 'error',
        edgeId: edge.id,
        nodeId: toNode.id,
        port: edge.to.port,
        message: `Input "${edge.to.port}" expects ${inSpec.type} but ${describeNode(fromNode, fromNode.id)}.${edge.from.port} gives ${outSpec.type}`,
      });
    }
  }

  for (const node of graph.nodes) {
    const def = node.placeholder ? undefined : registry.get(node.type);
    if (!def || byId.get(node.id) !== node) continue;
    for (const [name, spec] of Object.entries(def.inputs)) {
      if (spec.optional || connectedInputs.has(`${node.id}\u0000${name}`)) continue;
      problems.push({
        level: 'error',
        nodeId: node.id,
        port: name,
        message: `Required input "${spec.label ?? name}" is not connected`,
      });
    }
  }

  for (const cycle of findCycles([...byId.keys()], liveEdges(graph))) {
    const path = cycle.map((id) => describeNode(byId.get(id), id)).join(' → ');
    for (const id of new Set(cycle)) {
      problems.push({ level: 'error', nodeId: id, message: `Cycle: ${path}` });
    }
  }

  return problems;
}
