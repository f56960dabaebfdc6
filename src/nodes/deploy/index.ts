import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `deploy`, one file each. */
export const deployNodes: AnyNodeDefinition[] = [];
