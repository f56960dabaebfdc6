/**
 * Every node type's spec: type, version, title, stage, docs, ports and params, as data.
 * This is what the editor loads (palette, canvas, inspector, validation, the graph file):
 * nothing here imports tfjs, src/ml or src/serving. What runs is in src/nodes, registered
 * against these specs only where nodes execute (engine worker, CLI, tests).
 */
import type { AnyNodeSpec } from '../engine/node';
import { NodeRegistry } from '../engine/registry';
import { dataFileSpec } from './data/file';
import { dataSampleSpec } from './data/sample';
import { dataStoredSpec } from './data/stored';
import { dataUrlSpec } from './data/url';
import { deploySpec } from './deploy/deploy';
import { evaluateCvSpec } from './evaluate/cv';
import { evaluateSpec } from './evaluate/evaluate';
import { evaluateImportanceSpec } from './evaluate/importance';
import { featuresBinSpec } from './features/bin';
import { featuresPcaSpec } from './features/pca';
import { featuresPolynomialSpec } from './features/polynomial';
import { featuresPowerSpec } from './features/power';
import { featuresReshapeSpec } from './features/reshape';
import { cnnSpec } from './model/cnn';
import { linearRegressionSpec } from './model/linear';
import { logisticRegressionSpec } from './model/logistic';
import { mlpSpec } from './model/mlp';
import { monitorSpec } from './monitor/monitor';
import { prepColumnsSpec } from './prep/columns';
import { prepDedupeSpec } from './prep/dedupe';
import { prepEncodeSpec } from './prep/encode';
import { prepFilterSpec } from './prep/filter';
import { prepMissingSpec } from './prep/missing';
import { prepRolesSpec } from './prep/roles';
import { prepScaleSpec } from './prep/scale';
import { prepSplitSpec } from './prep/split';
import { trainSpec } from './train/train';
import { tuneSearchSpec } from './tune/search';

/** In palette order: by stage, then as listed. */
export const ALL_SPECS: readonly AnyNodeSpec[] = [
  dataSampleSpec,
  dataFileSpec,
  dataUrlSpec,
  dataStoredSpec,
  prepRolesSpec,
  prepSplitSpec,
  prepColumnsSpec,
  prepFilterSpec,
  prepDedupeSpec,
  prepMissingSpec,
  prepEncodeSpec,
  prepScaleSpec,
  featuresPolynomialSpec,
  featuresPowerSpec,
  featuresBinSpec,
  featuresPcaSpec,
  featuresReshapeSpec,
  linearRegressionSpec,
  logisticRegressionSpec,
  mlpSpec,
  cnnSpec,
  trainSpec,
  evaluateSpec,
  evaluateCvSpec,
  evaluateImportanceSpec,
  tuneSearchSpec,
  deploySpec,
  monitorSpec,
];

/** The specs as a registry (lookups by type, param defaults checked): the editor's catalogue. */
export function createCatalog(): NodeRegistry {
  return new NodeRegistry(ALL_SPECS);
}
