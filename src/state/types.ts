/**
 * Editor-side shapes of the graph. React Flow nodes carry the engine node's type, params
 * and label in `data`; conversion to and from the engine `Graph` lives in ./convert.
 */
import type { Edge, Node } from '@xyflow/react';
import type { GraphNode } from '../engine/graph';

export interface EditorNodeData extends Record<string, unknown> {
  /** Engine node type, e.g. `prep.scale`. */
  type: string;
  params: Record<string, unknown>;
  label?: string;
  version?: number;
  placeholder?: GraphNode['placeholder'];
  /** Disabled: not run, nor anything downstream of it. */
  disabled?: true;
}

/** React Flow's node `type` is always 'pipeline' (one memoised component draws every node). */
export type EditorNode = Node<EditorNodeData, 'pipeline'>;
export type EditorEdge = Edge;

export const FLOW_NODE_TYPE = 'pipeline' as const;
