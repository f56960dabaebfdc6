/**
 * The run planner: which nodes a run needs, in which order. Pure and deterministic:
 * the same graph and targets always give the same order.
 */
import type { Graph, GraphEdge, GraphNode } from './graph';
import { compareIds } from './order';

export interface PlanOptions {
  /** "Run to here": these nodes and their ancestors only. All nodes (every sink) when omitted or empty. */
  targets?: readonly string[];
}

export interface RunPlan {
  /** Nodes to execute, upstream first. */
  order: string[];
  /** Planned nodes that cannot be ordered: on a cycle or downstream of one. */
  blocked: string[];
  /** Each cycle among the planned nodes, as a closed path (first id repeated at the end). */
  cycles: string[][];
  /** The targets: those asked for, or every sink. */
  targets: string[];
}

/** Edges whose both ends exist (dangling edges are validation problems, not plan input). */
export function liveEdges(graph: Graph): GraphEdge[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return graph.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node));
}

/**
 * Nodes a run leaves out because of a disabled node: each disabled node and every node
 * downstream of one, mapped to the disabled node that stops it (the first in reading order
 * when several do). Empty when no node is disabled.
 */
export function disabledNodes(graph: Graph): Map<string, string> {
  const disabled = graph.nodes.filter((n) => n.disabled).sort(compareNodes);
  const stoppedBy = new Map<string, string>();
  if (disabled.length === 0) return stoppedBy;
  const children = new Map<string, string[]>();
  for (const edge of liveEdges(graph)) children.set(edge.from.node, [...(children.get(edge.from.node) ?? []), edge.to.node]);
  for (const node of disabled) {
    const stack = [node.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (stoppedBy.has(id)) continue;
      stoppedBy.set(id, node.id);
      stack.push(...(children.get(id) ?? []));
    }
  }
  return stoppedBy;
}

/** Reading order on the canvas (left to right, then top to bottom), then id. */
function compareNodes(a: GraphNode, b: GraphNode): number {
  const ax = a.position?.x ?? 0;
  const bx = b.position?.x ?? 0;
  if (ax !== bx) return ax - bx;
  const ay = a.position?.y ?? 0;
  const by = b.position?.y ?? 0;
  if (ay !== by) return ay - by;
  return compareIds(a.id, b.id);
}

export function planRun(graph: Graph, options: PlanOptions = {}): RunPlan {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = liveEdges(graph);
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const node of graph.nodes) {
    parents.set(node.id, []);
    children.set(node.id, []);
  }
  for (const edge of edges) {
    parents.get(edge.to.node)!.push(edge.from.node);
    children.get(edge.from.node)!.push(edge.to.node);
  }

  const askedTargets = options.targets ?? [];
  for (const target of askedTargets) {
    if (!byId.has(target)) throw new Error(`Cannot run to "${target}": no such node in the graph`);
  }
  const targets =
    askedTargets.length > 0
      ? [...new Set(askedTargets)]
      : graph.nodes.filter((n) => children.get(n.id)!.length === 0).map((n) => n.id);

  // Every node when running the whole graph (a cycle with no exit has no sink but is still reported).
  const planned = new Set<string>();
  if (askedTargets.length === 0) {
    for (const node of graph.nodes) planned.add(node.id);
  } else {
    const stack = [...targets];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (planned.has(id)) continue;
      planned.add(id);
      stack.push(...parents.get(id)!);
    }
  }

  // Kahn's algorithm with a sorted ready list: stable, and upstream of a cycle still runs.
  const remainingParents = new Map<string, number>();
  for (const id of planned) remainingParents.set(id, parents.get(id)!.length);
  const ready = [...planned].filter((id) => remainingParents.get(id) === 0).map((id) => byId.get(id)!);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort(compareNodes);
    const next = ready.shift()!;
    order.push(next.id);
    for (const child of children.get(next.id)!) {
      if (!planned.has(child)) continue;
      const left = remainingParents.get(child)! - 1;
      remainingParents.set(child, left);
      if (left === 0) ready.push(byId.get(child)!);
    }
  }

  const ordered = new Set(order);
  const blocked = graph.nodes.filter((n) => planned.has(n.id) && !ordered.has(n.id)).map((n) => n.id);
  const cycles = blocked.length > 0 ? findCycles(blocked, edges) : [];
  return { order, blocked, cycles, targets };
}

/**
 * Cycles among `nodeIds`: one closed path per strongly connected component that has a
 * cycle (Tarjan), starting at its smallest id, e.g. ["a", "b", "a"].
 */
export function findCycles(nodeIds: readonly string[], edges: readonly GraphEdge[]): string[][] {
  const inSet = new Set(nodeIds);
  const succ = new Map<string, string[]>();
  for (const id of nodeIds) succ.set(id, []);
  for (const edge of edges) {
    if (inSet.has(edge.from.node) && inSet.has(edge.to.node)) succ.get(edge.from.node)!.push(edge.to.node);
  }
  for (const list of succ.values()) list.sort(compareIds);

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  // Iterative Tarjan: graphs are small, but a long chain must not overflow the call stack.
  for (const root of [...nodeIds].sort(compareIds)) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const successors = succ.get(frame.id)!;
      if (frame.next < successors.length) {
        const to = successors[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && succ.get(frame.id)!.includes(frame.id);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }

  return components
    .map((component) => shortestCycle(component, succ))
    .sort((a, b) => compareIds(a[0], b[0]));
}

/** The shortest closed path through the smallest id of a strongly connected component. */
function shortestCycle(component: string[], succ: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort(compareIds)[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const to of succ.get(id)!) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = id; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        path.push(start);
        return path;
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
