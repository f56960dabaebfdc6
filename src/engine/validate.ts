/**
 * Graph validation: every problem at once, each tied to the node, param, port or edge it
 * is about, so the editor can mark the spot and a run can fail only the nodes concerned.
 */
import type { Graph, GraphEdge, GraphNode } from './graph';
import type { AnyNodeSpec } from './node';
import { checkParam } from './params';
import { disabledNodes, findCycles, liveEdges, planRun, type PlanOptions } from './plan';
import { canConnect } from './ports';
import type { NodeRegistry } from './registry';
import { errorMessage } from './errors';
import { resolveNodeParams } from './node-params';

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
  const { byId, problems } = idProblems(graph);
  // Which nodes the run needs; unknown targets are reported rather than thrown here.
  const targets = options.targets ?? [];
  for (const id of targets) {
    if (!byId.has(id)) problems.push({ level: 'error', nodeId: id, message: `Run target "${id}" is not in the graph` });
  }
  const plan = planRun(graph, { targets: targets.filter((id) => byId.has(id)) });
  const planned = new Set([...plan.order, ...plan.blocked]);
  const defOf = (node: GraphNode) => (node.placeholder ? undefined : registry.get(node.type));

  const nodeAndEdgeProblems: Problem[] = [];
  for (const node of graph.nodes) nodeAndEdgeProblems.push(...nodeProblems(node, defOf(node), planned.has(node.id)));
  const connectedInputs = new Map<string, string>();
  for (const edge of graph.edges) nodeAndEdgeProblems.push(...edgeProblems(edge, byId, defOf, connectedInputs));
  for (const node of graph.nodes) {
    const def = defOf(node);
    if (def && byId.get(node.id) === node) nodeAndEdgeProblems.push(...unconnectedInputs(node, def, connectedInputs));
  }
  problems.push(...notRunProblemsAsWarnings(graph, nodeAndEdgeProblems));
  problems.push(...cycleProblems(graph, byId));
  return problems;
}

/**
 * A disabled node and the nodes downstream of it do not run, so what would stop them from
 * running (a missing input, a bad param) is no error of the run: it stays as a warning.
 */
function notRunProblemsAsWarnings(graph: Graph, problems: Problem[]): Problem[] {
  const stoppedBy = disabledNodes(graph);
  if (stoppedBy.size === 0) return problems;
  const targetOf = new Map(graph.edges.map((e) => [e.id, e.to.node]));
  return problems.map((problem) => {
    const nodeId = problem.edgeId !== undefined ? targetOf.get(problem.edgeId) : problem.nodeId;
    return problem.level === 'error' && nodeId !== undefined && stoppedBy.has(nodeId) ? { ...problem, level: 'warning' } : problem;
  });
}

/** Reserved and repeated node and edge ids; `byId` holds the first node of each id. */
function idProblems(graph: Graph): { byId: Map<string, GraphNode>; problems: Problem[] } {
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
  return { byId, problems };
}

/** A node's own problems: an unknown type (when the run needs it), params that do not resolve, check or are unknown. */
function nodeProblems(node: GraphNode, def: AnyNodeSpec | undefined, planned: boolean): Problem[] {
  if (!def) {
    const reason = node.placeholder?.reason ?? `Unknown node type "${node.type}"`;
    return planned ? [{ level: 'error', nodeId: node.id, message: `${reason}: this node cannot run` }] : [];
  }
  const resolved = resolveNodeParams(node, def);
  if (!resolved.ok) return [{ level: 'error', nodeId: node.id, message: `Params ${resolved.message}` }];
  const problems: Problem[] = [];
  for (const [name, spec] of Object.entries(def.params)) {
    const message = checkParam(spec, resolved.params[name]);
    if (message) problems.push({ level: 'error', nodeId: node.id, param: name, message: `${spec.label ?? name} ${message}` });
  }
  const paramsValid = problems.length === 0;
  for (const name of Object.keys(resolved.params)) {
    if (!Object.hasOwn(def.params, name)) {
      problems.push({ level: 'warning', nodeId: node.id, param: name, message: `Unknown param "${name}" for ${def.title}: it is ignored` });
    }
  }
  // Cross-param checks assume each param is well-typed, so only run them then.
  if (paramsValid && def.check) problems.push(...crossParamProblems(node, def, resolved.params));
  return problems;
}

function crossParamProblems(node: GraphNode, def: AnyNodeSpec, params: Record<string, unknown>): Problem[] {
  try {
    const messages = def.check?.(params as never) ?? {};
    return Object.entries(messages).map(([name, message]) => ({ level: 'error', nodeId: node.id, param: name, message }));
  } catch (error) {
    return [{ level: 'error', nodeId: node.id, message: `Param check failed: ${errorMessage(error)}` }];
  }
}

/**
 * An edge's problems: dangling ends, several edges into one input, unknown ports, type mismatch.
 * Records the input it fills in `connectedInputs` (node + port → edge id).
 */
function edgeProblems(
  edge: GraphEdge,
  byId: ReadonlyMap<string, GraphNode>,
  defOf: (node: GraphNode) => AnyNodeSpec | undefined,
  connectedInputs: Map<string, string>,
): Problem[] {
  const fromNode = byId.get(edge.from.node);
  const toNode = byId.get(edge.to.node);
  if (!fromNode || !toNode) {
    const missing = [!fromNode ? edge.from.node : null, !toNode ? edge.to.node : null].filter((x) => x !== null);
    const attachedTo = fromNode ? edge.from.node : toNode ? edge.to.node : undefined;
    return [
      {
        level: 'error',
        edgeId: edge.id,
        ...(attachedTo ? { nodeId: attachedTo } : {}),
        message: `Edge ${edge.id} connects to missing node${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(' and ')}`,
      },
    ];
  }
  const problems: Problem[] = [];
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
  problems.push(...portProblems(edge, fromNode, defOf(fromNode), toNode, defOf(toNode)));
  return problems;
}

/** The edge's ports exist on its nodes' types and their port types connect. */
function portProblems(edge: GraphEdge, fromNode: GraphNode, fromDef: AnyNodeSpec | undefined, toNode: GraphNode, toDef: AnyNodeSpec | undefined): Problem[] {
  const problems: Problem[] = [];
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
  return problems;
}

/** Required inputs of `node` that no edge fills. */
function unconnectedInputs(node: GraphNode, def: AnyNodeSpec, connectedInputs: ReadonlyMap<string, string>): Problem[] {
  return Object.entries(def.inputs)
    .filter(([name, spec]) => !spec.optional && !connectedInputs.has(`${node.id}\u0000${name}`))
    .map(([name, spec]) => ({ level: 'error', nodeId: node.id, port: name, message: `Required input "${spec.label ?? name}" is not connected` }));
}

/** Every node on a cycle gets the cycle as its error. */
function cycleProblems(graph: Graph, byId: ReadonlyMap<string, GraphNode>): Problem[] {
  const problems: Problem[] = [];
  for (const cycle of findCycles([...byId.keys()], liveEdges(graph))) {
    const path = cycle.map((id) => describeNode(byId.get(id), id)).join(' → ');
    for (const id of new Set(cycle)) problems.push({ level: 'error', nodeId: id, message: `Cycle: ${path}` });
  }
  return problems;
}
