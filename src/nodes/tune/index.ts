import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `tune`, one file each. */
export const tuneNodes: AnyNodeDefinition[] = [];
