import type { AnyNodeDefinition } from '../../engine/node';
import { featuresBin } from './bin';
import { featuresPca } from './pca';
import { featuresPolynomial } from './polynomial';
import { featuresPower } from './power';
import { featuresReshape } from './reshape';

/** Node types of stage `features`, one file each. */
export const featuresNodes: AnyNodeDefinition[] = [featuresPolynomial, featuresPower, featuresBin, featuresPca, featuresReshape];
