import type * as TF from '@tensorflow/tfjs';
import { evaluateImportanceSpec } from '../../catalog/evaluate/importance';
import type { Dataset, Metrics, TrainedModel } from '../../data/types';
import { implement } from '../../engine/node';
import { featureMatrix, rowsWithTarget, targetValues, type ModelTarget } from '../../ml/data';
import { accuracyOf, groupFeatures, permutationImportance, r2Of } from '../../ml/importance';
import { networkOutputs, unscaleRegression } from '../../ml/infer';
import { checkFeatures, rowsToScore } from './evaluate';
import { leakWarnings } from './leak';

/** The one-hot steps of a chain: which raw column each `column=value` feature came from. */
function oneHotColumns(dataset: Dataset): { column: string; categories: string[] }[] {
  const out: { column: string; categories: string[] }[] = [];
  for (const t of dataset.transforms) {
    if (t.kind !== 'onehot') continue;
    const state = t.state as { columns?: unknown; categories?: unknown };
    if (!Array.isArray(state.columns) || !Array.isArray(state.categories)) continue;
    state.columns.forEach((column, i) => {
      const categories = (state.categories as unknown[])[i];
      if (typeof column === 'string' && Array.isArray(categories)) out.push({ column, categories: categories.map(String) });
    });
  }
  return out;
}

/** Permutation importance of every feature of `model` on `partition` of `dataset` (already transformed by its chain). */
export async function featureImportance(
  model: TrainedModel,
  dataset: Dataset,
  options: { partition: 'test' | 'validation'; repeats: number; seed: number; signal?: AbortSignal; onProgress?: (fraction: number) => void },
): Promise<Metrics> {
  const { artifact } = model;
  const target = artifact.target as ModelTarget;
  const all = rowsToScore(model, dataset, options.partition);
  let rows = rowsWithTarget(dataset, all);
  let truth = targetValues(dataset, target, rows);
  if (target.task === 'classification') {
    // Rows whose label the model never saw cannot be scored.
    const known = rows.filter((_, i) => truth[i] >= 0);
    if (known.length < rows.length) {
      truth = truth.filter((v) => v >= 0);
      rows = known;
    }
  }
  if (rows.length < 2) throw new Error(`the ${options.partition} partition has ${rows.length} scorable row(s): importance needs at least 2`);
  const matrix = featureMatrix(dataset, rows);
  checkFeatures(matrix.featureNames, artifact.featureNames);
  const network = model.network as TF.LayersModel;
  const predict = (values: Float32Array) => networkOutputs(network, values, matrix.rows, matrix.cols);
  const classification = target.task === 'classification';
  const k = target.classes?.length ?? 1;
  const score = classification ? (outputs: Float32Array) => accuracyOf(outputs, truth, k) : (outputs: Float32Array) => r2Of(unscaleRegression(outputs, target), truth);
  const groups = groupFeatures(matrix.featureNames, oneHotColumns(dataset));
  const { baseline, features } = await permutationImportance({
    values: matrix.values,
    rows: matrix.rows,
    cols: matrix.cols,
    groups,
    predict,
    score,
    repeats: options.repeats,
    seed: options.seed,
    signal: options.signal,
    onGroup: (done, total) => options.onProgress?.(done / total),
  });
  const metric = classification ? 'accuracy' : 'r2';
  const sizes = new Map(groups.map((g) => [g.name, g.columns.length]));
  const ranked = features.map((f) => ({ name: f.name, mean: f.mean, sd: f.sd, columns: sizes.get(f.name) ?? 1 })).sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
  const warnings = leakWarnings(dataset, options.partition);
  return {
    task: target.task,
    partition: options.partition,
    scalars: { [metric]: baseline, rows: rows.length, repeats: options.repeats, features: ranked.length },
    importance: { metric, baseline, repeats: options.repeats, features: ranked },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export const evaluateImportance = implement(evaluateImportanceSpec, {
  run: async ({ inputs, params, seed, signal, progress }) => ({
    metrics: await featureImportance(inputs.model, inputs.data, {
      partition: params.partition,
      repeats: params.repeats,
      seed: params.seed === 0 ? seed : params.seed,
      signal,
      onProgress: (fraction) => progress({ fraction, message: 'shuffling features' }),
    }),
  }),
  summarize: ({ metrics }) => {
    const top = (metrics.importance?.features ?? []).slice(0, 3).map((f) => `${f.name} ${f.mean.toFixed(3)}`);
    const metric = metrics.importance?.metric ?? '';
    return {
      text: `${metric} drop on ${metrics.partition}: ${top.join(', ') || 'no features'}`,
      metrics: metrics.scalars,
      ...(metrics.warnings ? { warnings: metrics.warnings } : {}),
    };
  },
});
