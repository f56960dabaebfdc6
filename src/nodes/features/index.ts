import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `features`, one file each. */
export const featuresNodes: AnyNodeDefinition[] = [];
