import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `model`, one file each. */
export const modelNodes: AnyNodeDefinition[] = [];
