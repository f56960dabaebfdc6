import type { AnyNodeDefinition } from '../../engine/node';
import { evaluate } from './evaluate';

/** Node types of stage `evaluate`, one file each. */
export const evaluateNodes: AnyNodeDefinition[] = [evaluate];
