import type { AnyNodeDefinition } from '../../engine/node';
import { cnn } from './cnn';
import { linearRegression } from './linear';
import { logisticRegression } from './logistic';
import { mlp } from './mlp';

/** Node types of stage `model`, one file each. */
export const modelNodes: AnyNodeDefinition[] = [linearRegression, logisticRegression, mlp, cnn];
