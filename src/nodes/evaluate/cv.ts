import { implement } from '../../engine/node';
import type * as TF from '@tensorflow/tfjs';
import { refitDataset } from '../../data/dataset';
import type { Dataset, Metrics, ModelSpec, TaskKind } from '../../data/types';
import { getColumn } from '../../data/table';
import { detectTask, partitionRows, rowsWithTarget } from '../../ml/data';
import { kFolds, meanSd, type Fold } from '../../ml/folds';
import { CancelledError, MONITORS, OPTIMIZERS, TrainingSession, prepareTrainingData, type MonitorName, type OptimizerName } from '../../ml/train';
import { scoreNetwork } from './evaluate';
import { evaluateCvSpec } from '../../catalog/evaluate/cv';

/** How a model is trained: what cross-validation repeats in every fold. */
export interface TrainingRecipe {
  spec: ModelSpec;
  task: 'auto' | TaskKind;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** 0: no early stopping. */
  patience: number;
  monitor: MonitorName;
  tolerance?: number;
  restoreBest: boolean;
  classWeights: 'none' | 'balanced';
  seed: number;
}

export interface CrossValidationOptions {
  folds: number;
  repeats: number;
  stratify: boolean;
  /** Refit every fitted step on each fold's training rows (false reuses the chain as fitted: leaky, for comparison). */
  refit: boolean;
  seed: number;
  signal?: AbortSignal;
  onFold?: (done: number, total: number, fold: Fold, scalars: Record<string, number>) => void;
}

/** Scalars averaged across folds: the headline ones (row counts are reported per fold only). */
function foldScalars(metrics: Metrics): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics.scalars).filter(([, v]) => Number.isFinite(v)));
}

/**
 * k-fold cross-validation on the dataset's rows outside the test partition (the test rows
 * are never looked at). In each fold every fitted step of the chain is learned again on the
 * fold's training rows (refitDataset) and a fresh network is trained by `recipe`, then
 * scored on the fold's held-out rows.
 */
export async function crossValidate(dataset: Dataset, recipe: TrainingRecipe, options: CrossValidationOptions): Promise<Metrics> {
  const pool = dataset.partitions ? Uint32Array.from([...dataset.partitions.train, ...dataset.partitions.validation]).sort() : partitionRows(dataset, 'train');
  const rows = rowsWithTarget(dataset, pool);
  const task = detectTask(dataset, recipe.task);
  const target = getColumn(dataset.table, dataset.roles.target!);
  const classOf =
    options.stratify && task === 'classification'
      ? (row: number) => (target.dtype === 'category' ? target.codes[row] : target.dtype === 'text' ? target.values[row]! : target.values[row])
      : undefined;
  const folds = kFolds(rows, options.folds, options.seed, { repeats: options.repeats, classOf });
  const perFold: NonNullable<Metrics['cv']>['perFold'] = [];
  for (const [index, fold] of folds.entries()) {
    if (options.signal?.aborted) throw new CancelledError();
    const parts = { train: fold.train, validation: new Uint32Array(0), test: fold.heldOut };
    const foldData = options.refit ? refitDataset(dataset, fold.train, parts) : { ...dataset, partitions: parts };
    const prepared = prepareTrainingData(foldData, { task, validationFraction: 0, classWeights: recipe.classWeights, seed: recipe.seed });
    let session: TrainingSession | null = null;
    try {
      session = new TrainingSession(prepared, {
        spec: recipe.spec,
        optimizer: recipe.optimizer,
        learningRate: recipe.learningRate,
        batchSize: recipe.batchSize,
        patience: recipe.patience,
        monitor: recipe.monitor,
        tolerance: recipe.tolerance,
        restoreBest: recipe.restoreBest,
        seed: recipe.seed,
        signal: options.signal,
      });
      await session.run(recipe.epochs);
      session.finish();
      const metrics = scoreNetwork(session.network as unknown as TF.LayersModel, prepared.target, prepared.featureNames, foldData, fold.heldOut, 'test', 0);
      const scalars = foldScalars(metrics);
      perFold.push({ repeat: fold.repeat, fold: fold.fold, scalars });
      options.onFold?.(index + 1, folds.length, fold, scalars);
    } finally {
      session?.dispose();
      prepared.dispose();
    }
  }
  const names = Object.keys(perFold[0].scalars).filter((name) => name !== 'rows' && perFold.every((f) => name in f.scalars));
  const cvScalars = Object.fromEntries(names.map((name) => [name, meanSd(perFold.map((f) => f.scalars[name]))]));
  const fittedOnAll = dataset.transforms.some((t) => t.fittedOn === 'all');
  const note = options.refit
    ? `Every fitted step (${dataset.transforms.length}) and the model were learned again in each fold on that fold's training rows only; the test partition (${dataset.partitions?.test.length ?? 0} rows) was not used.`
    : `The fitted steps were NOT refitted per fold: their statistics were learned on rows that include each fold's held-out rows${fittedOnAll ? ' (fitted on all rows, before the split)' : ''}, so these scores are optimistic.`;
  return {
    task,
    partition: 'validation',
    scalars: { ...Object.fromEntries(names.map((name) => [name, cvScalars[name].mean])), rows: rows.length },
    cv: { folds: options.folds, ...(options.repeats > 1 ? { repeats: options.repeats } : {}), scalars: cvScalars, perFold, note },
  };
}

/** The recipe a trained model records (train.fit and tune.search write these trainParams). */
export function recipeOf(spec: ModelSpec, trainParams: Record<string, unknown>): TrainingRecipe {
  const num = (key: string, fallback: number) => (typeof trainParams[key] === 'number' && Number.isFinite(trainParams[key]) ? (trainParams[key] as number) : fallback);
  const monitor = MONITORS.includes(trainParams.monitor as MonitorName) ? (trainParams.monitor as MonitorName) : 'val_loss';
  return {
    spec,
    task: trainParams.task === 'regression' || trainParams.task === 'classification' ? trainParams.task : 'auto',
    optimizer: OPTIMIZERS.includes(trainParams.optimizer as OptimizerName) ? (trainParams.optimizer as OptimizerName) : 'adam',
    learningRate: num('learningRate', 0.005),
    batchSize: num('batchSize', 200),
    epochs: num('epochs', 200),
    patience: trainParams.earlyStopping === false ? 0 : num('patience', 20),
    monitor,
    // train.fit always records its tolerance; tune's trials train with the session's default, so a
    // recipe without one must too (a 1e-4 fallback made CV ranking stop differently from the trials).
    tolerance: typeof trainParams.tolerance === 'number' && Number.isFinite(trainParams.tolerance) ? trainParams.tolerance : undefined,
    restoreBest: trainParams.restoreBest !== false,
    classWeights: trainParams.classWeights === 'balanced' ? 'balanced' : 'none',
    seed: num('seed', 42),
  };
}

function headline(metrics: Metrics): string {
  const name = metrics.task === 'classification' ? 'accuracy' : 'r2';
  const s = metrics.cv?.scalars[name];
  if (!s) return 'no scores';
  return `${metrics.cv!.folds}-fold CV ${name === 'r2' ? 'R²' : name} ${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}${metrics.cv!.repeats ? ` (${metrics.cv!.repeats} repeats)` : ''}`;
}

export const evaluateCv = implement(evaluateCvSpec, {
  run: async (ctx) => {
    const { inputs, params } = ctx;
    const artifact = inputs.model.artifact;
    if (inputs.data.roles.target !== artifact.target.name) {
      throw new Error(`the model predicts "${artifact.target.name}" but the dataset's target is ${inputs.data.roles.target ? `"${inputs.data.roles.target}"` : 'not set'}: cross-validate on the dataset the model was trained from`);
    }
    const recipe = recipeOf(artifact.spec, { ...artifact.trainParams, task: artifact.target.task });
    const metrics = await crossValidate(inputs.data, recipe, {
      folds: params.folds,
      repeats: params.repeats,
      stratify: params.stratify,
      refit: params.refit,
      seed: params.seed === 0 ? ctx.seed : params.seed,
      signal: ctx.signal,
      onFold: (done, total, fold, scalars) => {
        const main = scalars.accuracy ?? scalars.r2;
        ctx.progress({
          fraction: done / total,
          message: `fold ${fold.fold}/${params.folds}${params.repeats > 1 ? ` (repeat ${fold.repeat})` : ''}: ${scalars.accuracy !== undefined ? 'accuracy' : 'R²'} ${main?.toFixed(3) ?? '–'}`,
          metrics: { fold: done, ...(main !== undefined ? { score: main } : {}) },
        });
      },
    });
    return { metrics };
  },
  summarize: ({ metrics }, params) => ({
    text: `${headline(metrics)}${params.refit ? '' : ' · NOT refitted per fold (leaky)'}`,
    metrics: metrics.scalars,
  }),
});
