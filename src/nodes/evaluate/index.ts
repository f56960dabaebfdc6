import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `evaluate`, one file each. */
export const evaluateNodes: AnyNodeDefinition[] = [];
