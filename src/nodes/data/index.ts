import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `data`, one file each. */
export const dataNodes: AnyNodeDefinition[] = [];
