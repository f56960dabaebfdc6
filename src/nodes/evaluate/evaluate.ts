import { implement } from '../../engine/node';
import type * as TF from '@tensorflow/tfjs';
import type { Dataset, Metrics, TrainedModel } from '../../data/types';
import { featureMatrix, partitionRows, rowsWithTarget, targetValues, type ModelTarget, type PartitionName } from '../../ml/data';
import { networkOutputs, unscaleRegression } from '../../ml/infer';
import { classificationMetrics, regressionMetrics } from '../../ml/metrics';
import { evaluateSpec } from '../../catalog/evaluate/evaluate';
import { calibrationCurve } from '../../ml/calibration';
import { leakWarnings } from './leak';

/** The rows of `partition` to score `model` on; throws a message when the dataset's target is another or the partition is empty. */
export function rowsToScore(model: TrainedModel, dataset: Dataset, partition: PartitionName): Uint32Array {
  const target = model.artifact.target as ModelTarget;
  if (dataset.roles.target !== target.name) {
    throw new Error(`the model predicts "${target.name}" but the dataset's target is ${dataset.roles.target ? `"${dataset.roles.target}"` : 'not set'}`);
  }
  const allRows = partitionRows(dataset, partition);
  if (allRows.length === 0) {
    throw new Error(`the ${partition} partition is empty${dataset.partitions ? '' : ' (no split node upstream)'}: choose another partition or add a split`);
  }
  return allRows;
}

/** Throws when a feature matrix's columns are not the model's inputs, in order. */
export function checkFeatures(actual: readonly string[], expected: readonly string[]): void {
  if (actual.length !== expected.length || actual.some((n, i) => n !== expected[i])) {
    throw new Error(`the dataset's features (${actual.join(', ')}) differ from the model's (${expected.join(', ')}): evaluate on the dataset the model was trained from`);
  }
}

/** Scores a trained model on one partition of a dataset (already transformed by the same chain). */
export function evaluateModel(model: TrainedModel, dataset: Dataset, partition: PartitionName, maxRows = 300): Metrics {
  const allRows = rowsToScore(model, dataset, partition);
  const metrics = scoreNetwork(model.network as TF.LayersModel, model.artifact.target as ModelTarget, model.artifact.featureNames, dataset, allRows, partition, maxRows);
  const warnings = leakWarnings(dataset, partition);
  return warnings.length > 0 ? { ...metrics, warnings } : metrics;
}

/**
 * Scores a network on `rows` of a dataset already transformed by its chain: the metrics the
 * Evaluate node reports (cross-validation scores each fold's held-out rows with it too).
 */
export function scoreNetwork(network: TF.LayersModel, target: ModelTarget, featureNames: readonly string[], dataset: Dataset, allRows: ArrayLike<number>, partition: PartitionName, maxRows = 300): Metrics {
  const rows = rowsWithTarget(dataset, allRows);
  if (rows.length === 0) throw new Error(`no row of the ${partition} partition has a target value`);
  const matrix = featureMatrix(dataset, rows);
  checkFeatures(matrix.featureNames, featureNames);
  const outputs = networkOutputs(network, matrix.values, matrix.rows, matrix.cols);
  const truth = targetValues(dataset, target, rows);
  if (target.task === 'regression') {
    return regressionMetrics({ truth, predicted: unscaleRegression(outputs, target), rowIds: rows, partition, maxResiduals: maxRows, maxPredictions: maxRows });
  }
  const classes = target.classes!;
  // Rows whose label the model never saw cannot be scored against its outputs.
  const known: number[] = [];
  for (let i = 0; i < truth.length; i++) if (truth[i] >= 0) known.push(i);
  const k = classes.length;
  const probabilities = new Float32Array(known.length * k);
  known.forEach((row, i) => probabilities.set(outputs.subarray(row * k, row * k + k), i * k));
  const metrics = classificationMetrics({
    truth: known.map((i) => truth[i]),
    probabilities,
    classes,
    rowIds: known.map((i) => rows[i]),
    partition,
    maxPredictions: maxRows,
  });
  if (known.length < truth.length) metrics.scalars.unknownLabelRows = truth.length - known.length;
  if (known.length > 0) metrics.calibration = calibrationCurve(probabilities, known.map((i) => truth[i]), k);
  return metrics;
}

export const evaluate = implement(evaluateSpec, {
  run: async ({ inputs, params }) => ({ metrics: evaluateModel(inputs.model, inputs.data, params.partition, params.maxRows) }),
  summarize: ({ metrics }) => {
    const s = metrics.scalars;
    const text =
      metrics.task === 'classification'
        ? `accuracy ${s.accuracy.toFixed(3)} on ${metrics.partition} (${s.rows} rows)`
        : `R² ${Number.isNaN(s.r2) ? '–' : s.r2.toFixed(3)}, RMSE ${s.rmse.toPrecision(3)} on ${metrics.partition} (${s.rows} rows)`;
    return { text, metrics: s, ...(metrics.warnings ? { warnings: metrics.warnings } : {}) };
  },
});
