/**
 * The one planning pass behind a run: which nodes it needs, in which order, and for each
 * one either why it cannot run or exactly what it runs with (definition, declared params,
 * seed, incoming edges). Executor.execute() runs these steps; Executor.freshness() predicts
 * them; `run-node` computes the same key one node at a time. All three compute keys with
 * `cacheKey`, so a prediction and a run can never disagree on what a node's key is.
 *
 * Cache key = sha-256 over canonical JSON of (type, version, declared params, node seed
 * (graph seed mixed with node id), input keys in port order, and the node type's cacheSalt
 * when it declares one, e.g. the hash of a file's bytes). Position and label never enter a
 * key, so moving or renaming a node re-executes nothing.
 */
import type { Graph, GraphEdge, GraphNode } from './graph';
import { canonicalHash, deriveNodeSeed } from './hash';
import type { AnyNodeDefinition, AnyNodeSpec } from './node';
import { declaredParams, resolveNodeParams } from './node-params';
import { disabledNodes, liveEdges, planRun, type RunPlan } from './plan';
import type { ImplementedRegistry } from './registry';
import { describeNode, validateGraph, type Problem } from './validate';

/** A planned node that can run: what it runs with. */
export interface ReadyStep {
  ready: true;
  nodeId: string;
  incoming: GraphEdge[];
  def: AnyNodeDefinition;
  /** Migrated, defaults filled in, declared params only. */
  params: Record<string, unknown>;
  seed: number;
}

/** A planned node that cannot run (invalid, unknown type, params from a newer version), and why. */
export interface BlockedStep {
  ready: false;
  nodeId: string;
  incoming: GraphEdge[];
  message: string;
}

/**
 * A planned node the run leaves out on purpose: it is disabled, or downstream of a disabled
 * node. Not an error; `message` says why ("disabled", "not run: Scale is disabled").
 */
export interface DisabledStep {
  ready: false;
  disabled: true;
  nodeId: string;
  incoming: GraphEdge[];
  message: string;
}

export type NodeStep = ReadyStep | BlockedStep | DisabledStep;

export interface PreparedRun {
  plan: RunPlan;
  byId: ReadonlyMap<string, GraphNode>;
  /** One step per node of `plan.order`, in that order. */
  steps: NodeStep[];
  /** Per node of `plan.blocked`: the cycle it is on (its error), or undefined when it is only downstream of one. */
  cycleErrors: ReadonlyMap<string, string | undefined>;
}

/** Plans a run of `graph` for `targets` (every sink when omitted) and prepares every planned node. */
export function prepareRun(graph: Graph, registry: ImplementedRegistry, targets?: readonly string[]): PreparedRun {
  const plan = planRun(graph, { targets });
  const blockers = blockingProblems(graph, validateGraph(graph, registry, { targets }));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incomingOf = incomingEdges(graph);
  const stoppedBy = disabledNodes(graph);
  const steps = plan.order.map((nodeId): NodeStep => {
    const incoming = incomingOf.get(nodeId) ?? [];
    const disabledId = stoppedBy.get(nodeId);
    if (disabledId === undefined) return prepareNode(graph, byId.get(nodeId)!, incoming, registry, blockers.get(nodeId));
    const message = disabledId === nodeId ? 'disabled' : `not run: ${nodeTitle(byId.get(disabledId)!, registry)} is disabled`;
    return { ready: false, disabled: true, nodeId, incoming, message };
  });
  const cycleErrors = new Map<string, string | undefined>();
  for (const nodeId of plan.blocked) {
    const cycle = plan.cycles.find((c) => c.includes(nodeId));
    cycleErrors.set(nodeId, cycle && `Cycle: ${cycle.map((id) => describeNode(byId.get(id), id)).join(' → ')}`);
  }
  return { plan, byId, steps, cycleErrors };
}

/** What one node runs with, or why it cannot run (`blockers`: its validation errors). */
export function prepareNode(graph: Graph, node: GraphNode, incoming: GraphEdge[], registry: ImplementedRegistry, blockers?: string[]): NodeStep {
  const nodeId = node.id;
  const def = node.placeholder ? undefined : registry.get(node.type);
  if (blockers?.length) return { ready: false, nodeId, incoming, message: blockers.join('; ') };
  if (!def) return { ready: false, nodeId, incoming, message: `Unknown node type "${node.type}"` };
  const resolved = resolveNodeParams(node, def);
  if (!resolved.ok) return { ready: false, nodeId, incoming, message: `Params ${resolved.message}` };
  return { ready: true, nodeId, incoming, def, params: declaredParams(def, resolved.params), seed: deriveNodeSeed(graph.seed, nodeId) };
}

/** A ready step's cache key, from the keys of the nodes upstream of it. Throws when its params cannot be hashed. */
export function stepKey(step: ReadyStep, keys: ReadonlyMap<string, string>, extra: { nonce?: string; salt?: string } = {}): string {
  return cacheKey(step.def, step.params, step.seed, inputKeysOf(step.def, step.incoming, keys), extra.nonce, extra.salt);
}

/** A node's cache key (exported for `run-node`, which computes the same key one node at a time). */
export function cacheKey(def: AnyNodeSpec, params: Record<string, unknown>, seed: number, inputs: unknown[], nonce?: string, salt?: string): string {
  return canonicalHash({
    type: def.type,
    version: def.version,
    params,
    seed,
    inputs,
    ...(nonce !== undefined ? { nonce } : {}),
    ...(salt !== undefined ? { salt } : {}),
  });
}

/** Input keys in the node type's port order: [port, upstream key, upstream port] or [port, null]. */
export function inputKeysOf(def: AnyNodeSpec, incoming: readonly GraphEdge[], keys: ReadonlyMap<string, string>): unknown[] {
  return Object.keys(def.inputs).map((port) => {
    const edge = incoming.find((e) => e.to.port === port);
    return edge ? [port, keys.get(edge.from.node)!, edge.from.port] : [port, null];
  });
}

/** How a node is named to the user: its label, else its type's title, else its type. */
function nodeTitle(node: GraphNode, registry: ImplementedRegistry): string {
  return node.label || (node.placeholder ? undefined : registry.get(node.type)?.title) || node.type;
}

/** Validation errors grouped by the node they stop: an edge problem stops the node it feeds. */
function blockingProblems(graph: Graph, problems: Problem[]): Map<string, string[]> {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));
  const blockers = new Map<string, string[]>();
  for (const problem of problems) {
    if (problem.level !== 'error') continue;
    const edge = problem.edgeId === undefined ? undefined : edgeById.get(problem.edgeId);
    const nodeId = edge && nodeIds.has(edge.to.node) ? edge.to.node : problem.nodeId;
    if (nodeId === undefined) continue;
    const list = blockers.get(nodeId) ?? [];
    if (!list.includes(problem.message)) list.push(problem.message);
    blockers.set(nodeId, list);
  }
  return blockers;
}

function incomingEdges(graph: Graph): Map<string, GraphEdge[]> {
  const incomingOf = new Map<string, GraphEdge[]>();
  for (const edge of liveEdges(graph)) {
    const list = incomingOf.get(edge.to.node) ?? [];
    list.push(edge);
    incomingOf.set(edge.to.node, list);
  }
  return incomingOf;
}
