import type { AnyNodeDefinition } from '../../engine/node';
import { evaluateCv } from './cv';
import { evaluate } from './evaluate';
import { evaluateImportance } from './importance';

/** Node types of stage `evaluate`, one file each. */
export const evaluateNodes: AnyNodeDefinition[] = [evaluate, evaluateCv, evaluateImportance];
