import type { AnyNodeDefinition } from '../../engine/node';
import { train } from './train';

/** Node types of stage `train`, one file each. */
export const trainNodes: AnyNodeDefinition[] = [train];
