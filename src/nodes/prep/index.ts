import type { AnyNodeDefinition } from '../../engine/node';

/** Node types of stage `prep`, one file each. */
export const prepNodes: AnyNodeDefinition[] = [];
