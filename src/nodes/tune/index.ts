import type { AnyNodeDefinition } from '../../engine/node';
import { tuneSearch } from './search';

/** Node types of stage `tune`, one file each. */
export const tuneNodes: AnyNodeDefinition[] = [tuneSearch];
