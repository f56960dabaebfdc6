import type { AnyNodeDefinition } from '../../engine/node';
import { deploy } from './deploy';

/** Node types of stage `deploy`, one file each. */
export const deployNodes: AnyNodeDefinition[] = [deploy];
