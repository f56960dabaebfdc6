import type { AnyNodeDefinition } from '../../engine/node';
import { monitor } from './monitor';

/** Node types of stage `monitor`, one file each. */
export const monitorNodes: AnyNodeDefinition[] = [monitor];
