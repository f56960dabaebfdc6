import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `monitor`, one file each. */
export const monitorNodes: AnyNodeDefinition[] = [];
