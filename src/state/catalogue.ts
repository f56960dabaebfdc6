/**
 * The node catalogue as the editor sees it: lookups by type, port types of handles, and
 * the connection rules (equal port types, one edge per input, no cycles) with a reason
 * the UI can show when a connection is refused.
 */
import type { Connection } from '@xyflow/react';
import type { AnyNodeSpec } from '../engine/node';
import { canConnect, type PortSpec } from '../engine/ports';
import { ALL_SPECS } from '../catalog';
import type { GraphEdge, GraphNode } from '../engine/graph';

let definitions = new Map<string, AnyNodeSpec>(ALL_SPECS.map((def) => [def.type, def]));

/** Tests swap in their own node types. */
export function setCatalogue(defs: readonly AnyNodeSpec[]): void {
  definitions = new Map(defs.map((def) => [def.type, def]));
}

export function getDefinition(type: string): AnyNodeSpec | undefined {
  return definitions.get(type);
}

export function listDefinitions(): AnyNodeSpec[] {
  return [...definitions.values()];
}

function nodeType(nodes: readonly GraphNode[], id: string): string | undefined {
  return nodes.find((n) => n.id === id)?.type;
}

export function outputSpec(type: string | undefined, port: string | null | undefined): PortSpec | undefined {
  if (!type || !port) return undefined;
  return getDefinition(type)?.outputs[port];
}

export function inputSpec(type: string | undefined, port: string | null | undefined): PortSpec | undefined {
  if (!type || !port) return undefined;
  return getDefinition(type)?.inputs[port];
}

/** Whether `target` can reach `source` following edges: adding source→target would close a cycle. */
function reaches(edges: readonly GraphEdge[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.from.node === id) stack.push(e.to.node);
  }
  return false;
}

/**
 * Why a connection is refused, in words; null when it is allowed.
 * Takes React Flow's `Connection` (source/target + handle ids = port names) against the graph. With
 * `replace`, an input that already has a wire counts as free (the new wire takes its place).
 */
export function connectionProblem(
  connection: Pick<Connection, 'source' | 'target' | 'sourceHandle' | 'targetHandle'>,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  options: { replace?: boolean } = {},
): string | null {
  const { source, target, sourceHandle, targetHandle } = connection;
  // Replacing: the wire already on that input goes, so it neither occupies it nor closes a cycle.
  if (options.replace) edges = edges.filter((e) => !(e.to.node === target && e.to.port === targetHandle));
  if (!source || !target) return 'Connect an output to an input';
  if (source === target) return 'A node cannot feed itself';
  const out = outputSpec(nodeType(nodes, source), sourceHandle);
  const inp = inputSpec(nodeType(nodes, target), targetHandle);
  if (!out || !inp) return 'Connect an output (right) to an input (left)';
  if (!canConnect(out.type, inp.type)) {
    return `Type mismatch: ${out.type} output cannot feed a ${inp.type} input`;
  }
  if (edges.some((e) => e.to.node === target && e.to.port === targetHandle)) {
    return `Input "${inp.label ?? targetHandle}" already has a connection (one edge per input)`;
  }
  if (reaches(edges, target, source)) return 'That connection would create a cycle';
  return null;
}

/** Stable edge id from its endpoints (one edge per input makes it unique). */
export function edgeId(source: string, sourceHandle: string, target: string, targetHandle: string): string {
  return `e:${source}.${sourceHandle}->${target}.${targetHandle}`;
}
