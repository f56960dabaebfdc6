import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `train`, one file each. */
export const trainNodes: AnyNodeDefinition[] = [];
