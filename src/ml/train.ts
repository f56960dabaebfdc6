/**
 * The training loop shared by the train and tune nodes. Data is prepared once
 * (`prepareTrainingData`, as `BatchSource`s), then any number of `TrainingSession`s train
 * networks on it. The loop is written for small models, where tfjs's per-call overhead
 * rather than arithmetic sets the pace: no `model.fit`; per batch one `tf.tidy` step
 * (gather the batch, forward, loss, gradients, one flat optimizer update), seeded epoch
 * permutations, and the batch costs kept on the device and read back once per epoch.
 * Early stopping, best-weight restore and cancellation within one batch are kept.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Dataset, HistoryPoint, ModelArtifact, ModelSpec, TaskKind } from '../data/types';
import { tf } from './tf';
import { buildNetwork, estimateParamCount, trainingGradientKernels } from './build';
import {
  detectTask,
  featureMatrix,
  partitionRows,
  resolveTarget,
  rowsWithTarget,
  targetValues,
  type FeatureMatrix,
  type ModelTarget,
} from './data';
import { ColumnarBatchSource, TensorBatchSource, epochOrder, type BatchSource } from './batches';
import { trainingFeatureColumns } from '../data/dataset';
import { createUpdater, type OptimizerName, type ParameterUpdater } from './optimizers';
import { mixSeed, seededRandom, shuffled } from '../data/random';

export { OPTIMIZERS, type OptimizerName } from './optimizers';
import type { MonitorName } from '../catalog/model/vocabulary';
import { yieldToEventLoop } from '../engine/event-loop';
export { MONITORS, type MonitorName } from '../catalog/model/vocabulary';

/**
 * Partitions whose tensors would take more than this are not made into one tensor: their
 * batches are built on demand from the table's columns (ColumnarBatchSource), so memory holds
 * one batch. Below it the whole partition is one tensor (faster per batch for small tables).
 */
export const TENSOR_PATH_MAX_BYTES = 64 * 1024 * 1024;
/** The training data's own memory (tensors or per-row indexes and targets, plus batches) must fit in this. */
export const MAX_TRAINING_DATA_BYTES = 1024 * 1024 * 1024;

/** Training keeps weights, gradients and two optimizer moments: about 4 float32 copies per parameter. */
const BYTES_PER_PARAM_TRAINING = 16;
/** Refuse networks that would need more than this while training (browser tabs die around a few GB). */
export const MAX_TRAINING_BYTES = 1024 * 1024 * 1024;

export interface PreparedData {
  task: TaskKind;
  target: ModelTarget;
  featureNames: string[];
  featureShape?: number[];
  nFeatures: number;
  nOutputs: number;
  /** Training rows, with class weights when balanced weighting was asked for. */
  train: BatchSource;
  validation: BatchSource | null;
  trainCount: number;
  valCount: number;
  /** Where validation rows came from. */
  validationSource: 'partition' | 'holdout' | 'none';
  /** Class index → weight, when balanced weighting was asked for. */
  classWeight?: number[];
  /** How rows are held: the partitions as tensors, or batches built from the table's columns. */
  storage: 'tensors' | 'columns';
  /** Estimated bytes the training data itself holds (tensors, or indexes and targets plus batches). */
  dataBytes: number;
  dispose(): void;
}

export interface PrepareOptions {
  task: 'auto' | TaskKind;
  /** Share of training rows held out for validation when the dataset has no validation partition. */
  validationFraction: number;
  classWeights: 'none' | 'balanced';
  seed: number;
  /** 'auto' (default): columns when the partitions' tensors would pass TENSOR_PATH_MAX_BYTES. */
  storage?: 'auto' | 'tensors' | 'columns';
  /** Rows per batch, for the memory estimate (default: the evaluation chunk). */
  batchSize?: number;
  /** Refuse when the estimate passes this (default MAX_TRAINING_DATA_BYTES). */
  memoryBudgetBytes?: number;
}

function mb(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 2 ** 20)).toLocaleString('en')} MB`;
}

/**
 * The training data's memory, estimated before anything is built: as tensors, every row's
 * features, targets (and weights) in float32, held twice while made (the array and the
 * tensor); as columns, per row an index, a target and a place in the epoch order, plus two
 * batches (one being built while one trains) and one evaluation chunk.
 */
export function estimateTrainingDataBytes(storage: 'tensors' | 'columns', rows: number, nFeatures: number, nOutputs: number, weighted: boolean, batchSize: number): number {
  const perRow = (nFeatures + nOutputs + (weighted ? 1 : 0)) * 4;
  if (storage === 'tensors') return rows * perRow * 2;
  return rows * 12 + 2 * batchSize * perRow + Math.max(batchSize, EVALUATION_CHUNK_ROWS) * perRow;
}

function toYTensor(values: Float32Array, target: ModelTarget, nOutputs: number): TF.Tensor2D {
  const t = tf();
  if (target.task === 'regression') {
    const { mean, std } = target.scale ?? { mean: 0, std: 1 };
    return t.tensor2d(values.map((v) => (v - mean) / std), [values.length, 1]);
  }
  return t.tidy(() => t.oneHot(t.tensor1d(Int32Array.from(values), 'int32'), nOutputs).toFloat() as TF.Tensor2D);
}

function matrixTensor(m: FeatureMatrix): TF.Tensor2D {
  return tf().tensor2d(m.values, [m.rows, m.cols]);
}

/**
 * Training and validation rows as plain typed arrays (no tensors): what `prepareTrainingData`
 * turns into tensors, and what a tune trial worker receives (transferable, structured-cloneable).
 */
export interface TrainingArrays {
  task: TaskKind;
  target: ModelTarget;
  featureNames: string[];
  featureShape?: number[];
  nFeatures: number;
  nOutputs: number;
  /** Row-major trainCount × nFeatures. */
  trainX: Float32Array;
  /** Class codes (classification) or raw target values (regression), one per row. */
  trainY: Float32Array;
  valX: Float32Array | null;
  valY: Float32Array | null;
  trainCount: number;
  valCount: number;
  validationSource: PreparedData['validationSource'];
  classWeight?: number[];
  /** Estimated bytes of the data as tensors. */
  dataBytes: number;
}

interface RowSelection {
  task: TaskKind;
  target: ModelTarget;
  nOutputs: number;
  trainRows: Uint32Array;
  valRows: Uint32Array;
  validationSource: PreparedData['validationSource'];
  weighted: boolean;
}

/** The training and validation rows (with the seeded holdout when needed), the task and its target. */
function selectRows(dataset: Dataset, options: PrepareOptions): RowSelection {
  let trainRows = rowsWithTarget(dataset, partitionRows(dataset, 'train'));
  let valRows = rowsWithTarget(dataset, partitionRows(dataset, 'validation'));
  if (trainRows.length === 0) throw new Error('the training partition has no rows with a target value');
  let validationSource: PreparedData['validationSource'] = valRows.length > 0 ? 'partition' : 'none';
  if (valRows.length === 0 && options.validationFraction > 0) {
    // Hold out a seeded share of the training rows so early stopping has something to watch.
    const order = shuffled(trainRows, seededRandom(mixSeed(options.seed, 7919)));
    const holdout = Math.round(order.length * options.validationFraction);
    if (holdout >= 1 && order.length - holdout >= 2) {
      valRows = Uint32Array.from(order.slice(0, holdout)).sort();
      trainRows = Uint32Array.from(order.slice(holdout)).sort();
      validationSource = 'holdout';
    }
  }
  const task = detectTask(dataset, options.task);
  const target = resolveTarget(dataset, task, trainRows);
  const nOutputs = task === 'classification' ? target.classes!.length : 1;
  return { task, target, nOutputs, trainRows, valRows, validationSource, weighted: options.classWeights === 'balanced' && task === 'classification' };
}

/** Estimates the data's memory for `storage`, refusing over the budget; `auto` picks the storage by size. */
function plannedStorage(dataset: Dataset, rows: RowSelection, options: PrepareOptions): { storage: PreparedData['storage']; dataBytes: number } {
  const { trainRows, valRows, nOutputs, weighted } = rows;
  const nFeatures = dataset.roles.features.length;
  const count = trainRows.length + valRows.length;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? EVALUATION_CHUNK_ROWS, trainRows.length));
  const tensorBytes = estimateTrainingDataBytes('tensors', count, nFeatures, nOutputs, weighted, batchSize) / 2;
  const storage = options.storage && options.storage !== 'auto' ? options.storage : tensorBytes > TENSOR_PATH_MAX_BYTES ? 'columns' : 'tensors';
  const dataBytes = estimateTrainingDataBytes(storage, count, nFeatures, nOutputs, weighted, batchSize);
  const budget = options.memoryBudgetBytes ?? MAX_TRAINING_DATA_BYTES;
  if (dataBytes > budget) {
    // A classifier's targets are one output per class, held beside the features in every row and batch.
    const classes = nOutputs > 1 ? ` and ${nOutputs.toLocaleString('en')} classes (one output each)` : '';
    throw new Error(
      `the training data does not fit: ${count.toLocaleString('en')} rows × ${nFeatures} feature${nFeatures === 1 ? '' : 's'}${classes} need about ${mb(dataBytes)} ` +
        `(${storage === 'tensors' ? 'as tensors' : `batches of ${batchSize.toLocaleString('en')} rows built from the columns`}), more than the ${mb(budget)} budget. ` +
        'Sample rows (Sample node), drop features, or lower the batch size.',
    );
  }
  return { storage, dataBytes };
}

/** Copies the selected rows out of the table as matrices and targets. */
function rowArrays(dataset: Dataset, rows: RowSelection, dataBytes: number): TrainingArrays {
  const { task, target, nOutputs, trainRows, valRows, validationSource } = rows;
  const trainX = featureMatrix(dataset, trainRows);
  const trainY = targetValues(dataset, target, trainRows);
  const valX = valRows.length > 0 ? featureMatrix(dataset, valRows) : null;
  const valY = valRows.length > 0 ? targetValues(dataset, target, valRows) : null;
  if (valY && task === 'classification') {
    // A validation label the training rows never showed cannot be scored: drop those rows.
    const unknown = valY.filter((v) => v < 0).length;
    if (unknown > 0) throw new Error(`${unknown} validation row(s) have a class that is not in the training partition`);
  }
  const classWeight = rows.weighted ? balancedWeights(trainY, nOutputs) : undefined;
  return {
    task,
    target,
    featureNames: trainX.featureNames,
    featureShape: dataset.featureShape,
    nFeatures: trainX.cols,
    nOutputs,
    trainX: trainX.values,
    trainY,
    valX: valX?.values ?? null,
    valY,
    trainCount: trainRows.length,
    valCount: valRows.length,
    validationSource,
    dataBytes,
    ...(classWeight ? { classWeight } : {}),
  };
}

/**
 * The rows as arrays (no tfjs), always as whole matrices: what tune sends to its trial
 * workers. Refused, with the reason, when they would not fit in memory as tensors.
 */
export function prepareTrainingArrays(dataset: Dataset, options: PrepareOptions): TrainingArrays {
  const rows = selectRows(dataset, options);
  return rowArrays(dataset, rows, plannedStorage(dataset, rows, { ...options, storage: 'tensors' }).dataBytes);
}

/**
 * Builds the training/validation data once; the caller disposes it. Small partitions become
 * tensors; large ones train from batches built from the columns (see TENSOR_PATH_MAX_BYTES).
 */
export function prepareTrainingData(dataset: Dataset, options: PrepareOptions): PreparedData {
  const rows = selectRows(dataset, options);
  const { storage, dataBytes } = plannedStorage(dataset, rows, options);
  if (storage === 'columns') return prepareColumnar(dataset, { ...rows, dataBytes });
  return preparedFromArrays(rowArrays(dataset, rows, dataBytes));
}

/** Builds the training/validation tensors once from prepared arrays; the caller disposes them. */
export function preparedFromArrays(arrays: TrainingArrays): PreparedData {
  const t = tf();
  const { target, nOutputs, nFeatures, classWeight } = arrays;
  const matrix = (values: Float32Array, rows: number) => matrixTensor({ values, rows, cols: nFeatures, featureNames: arrays.featureNames });
  const train = new TensorBatchSource(
    matrix(arrays.trainX, arrays.trainCount),
    toYTensor(arrays.trainY, target, nOutputs),
    classWeight ? t.tensor1d(Float32Array.from(arrays.trainY, (c) => classWeight[c])) : undefined,
  );
  const validation = arrays.valX && arrays.valY ? new TensorBatchSource(matrix(arrays.valX, arrays.valCount), toYTensor(arrays.valY, target, nOutputs)) : null;
  return {
    task: arrays.task,
    target,
    featureNames: arrays.featureNames,
    featureShape: arrays.featureShape,
    nFeatures,
    nOutputs,
    train,
    validation,
    trainCount: arrays.trainCount,
    valCount: arrays.valCount,
    validationSource: arrays.validationSource,
    classWeight,
    storage: 'tensors',
    dataBytes: arrays.dataBytes,
    dispose() {
      train.dispose();
      validation?.dispose();
    },
  };
}

function balancedWeights(targets: Float32Array, nOutputs: number): number[] {
  const counts = new Array<number>(nOutputs).fill(0);
  for (const v of targets) counts[v]++;
  return counts.map((count) => (count === 0 ? 0 : targets.length / (nOutputs * count)));
}

/** The columnar path: checked feature columns and per-row targets; batches are built when asked for. */
function prepareColumnar(
  dataset: Dataset,
  prepared: { task: TaskKind; target: ModelTarget; nOutputs: number; trainRows: Uint32Array; valRows: Uint32Array; validationSource: PreparedData['validationSource']; weighted: boolean; dataBytes: number },
): PreparedData {
  const { task, target, nOutputs, trainRows, valRows } = prepared;
  // The same checks (numeric, no missing value) and messages as the tensor path.
  const { columns, featureNames } = trainingFeatureColumns(dataset, trainRows);
  if (valRows.length > 0) trainingFeatureColumns(dataset, valRows);
  const trainY = targetValues(dataset, target, trainRows);
  const valY = valRows.length > 0 ? targetValues(dataset, target, valRows) : null;
  if (valY && task === 'classification') {
    const unknown = valY.filter((v) => v < 0).length;
    if (unknown > 0) throw new Error(`${unknown} validation row(s) have a class that is not in the training partition`);
  }
  const classWeight = prepared.weighted ? balancedWeights(trainY, nOutputs) : undefined;
  const common = { features: columns, task, nOutputs, scale: target.scale };
  const train = new ColumnarBatchSource({ ...common, rows: trainRows, targets: trainY, classWeight });
  const validation = valY ? new ColumnarBatchSource({ ...common, rows: valRows, targets: valY }) : null;
  return {
    task,
    target,
    featureNames,
    featureShape: dataset.featureShape,
    nFeatures: columns.length,
    nOutputs,
    train,
    validation,
    trainCount: trainRows.length,
    valCount: valRows.length,
    validationSource: prepared.validationSource,
    classWeight,
    storage: 'columns',
    dataBytes: prepared.dataBytes,
    dispose() {
      train.dispose();
      validation?.dispose();
    },
  };
}

/** Gradient kernels the spec needs that the given backend (default: the active one) does not register. */
export function missingGradientKernels(spec: ModelSpec, backend = tf().getBackend()): string[] {
  return trainingGradientKernels(spec).filter((kernel) => !tf().getKernel(kernel, backend));
}

/**
 * Says before any work when the active backend cannot train the spec. The conv filter gradient
 * tfjs-backend-wasm lacks is registered by the runtime when it loads wasm (wasm-grads.ts): that
 * keeps kernel registration in the layer that provides tfjs, out of the main-thread bundle.
 */
export function ensureBackendCanTrain(spec: ModelSpec): void {
  const t = tf();
  const missing = missingGradientKernels(spec);
  if (missing.length > 0) {
    throw new Error(`the ${t.getBackend()} backend cannot train this network (no ${missing.join(', ')} kernels): choose the wasm, cpu, WebGL or WebGPU backend`);
  }
}

export interface SessionOptions {
  spec: ModelSpec;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  /** Early stopping: epochs without improvement before stopping (0 = never stop early). */
  patience: number;
  monitor: MonitorName;
  /** An epoch improves on the best only when the watched metric gets better by more than this. */
  tolerance?: number;
  restoreBest: boolean;
  seed: number;
  signal?: AbortSignal;
  /** Called after every epoch and every `batchProgressEvery` batches. */
  onEpoch?: (point: HistoryPoint) => void;
  onBatch?: (epoch: number, batch: number, batchesPerEpoch: number) => void;
  batchProgressEvery?: number;
  /** performance.now() when the work began (the node's start, data preparation included): time to first epoch counts from here. */
  startedAt?: number;
}

/**
 * Where a session stands after some epochs, as plain arrays: network weights, optimizer
 * state, the best weights so far and the early-stopping counters. Restoring one into a new
 * session over the same data and options continues training with exactly the same numbers,
 * in this thread or in another (tune trials move between pool workers between rungs).
 */
export interface SessionCheckpoint {
  epoch: number;
  bestEpoch: number;
  bestScore: number;
  sinceBest: number;
  stoppedEarly: boolean;
  history: HistoryPoint[];
  /** network.getWeights() order. */
  weights: Float32Array[];
  /** The optimizer's state variables, in its order. */
  optimizer: Float32Array[];
  bestWeights: Float32Array[] | null;
}

export class CancelledError extends Error {
  constructor() {
    super('Training was cancelled');
    this.name = 'AbortError';
  }
}

export class DivergedError extends Error {}

const YIELD_EVERY_MS = 50;
/** Validation rows per forward pass (at least the batch size). */
const EVALUATION_CHUNK_ROWS = 2048;

/** One network being trained on prepared data; can run more epochs later (tune's successive halving). */
export class TrainingSession {
  readonly network: TF.Sequential;
  readonly history: HistoryPoint[] = [];
  /** Epochs run so far. */
  epoch = 0;
  bestEpoch = 0;
  bestScore = Number.POSITIVE_INFINITY;
  stoppedEarly = false;
  /** Most bytes held in tensors at once (sampled inside each step, when a batch's intermediates are alive). */
  peakTensorBytes = 0;
  /** From `startedAt` to the end of the first epoch, ms; null before it. */
  firstEpochMs: number | null = null;
  private readonly startedAt: number;
  private readonly updater: ParameterUpdater;
  private readonly variables: TF.Variable[];
  private bestWeights: TF.Tensor[] | null = null;
  private sinceBest = 0;
  private disposed = false;
  private finished = false;

  constructor(
    readonly data: PreparedData,
    readonly options: SessionOptions,
  ) {
    this.startedAt = options.startedAt ?? performance.now();
    ensureBackendCanTrain(options.spec);
    const params = estimateParamCount(options.spec, data.nFeatures, data.nOutputs, data.featureShape);
    if (params * BYTES_PER_PARAM_TRAINING > MAX_TRAINING_BYTES) {
      throw new Error(
        `the model is too large: about ${params.toLocaleString('en')} parameters (~${Math.round((params * BYTES_PER_PARAM_TRAINING) / 2 ** 20)} MB while training, limit ${MAX_TRAINING_BYTES / 2 ** 20} MB); use fewer or smaller layers`,
      );
    }
    this.network = buildNetwork({
      spec: options.spec,
      nFeatures: data.nFeatures,
      featureShape: data.featureShape,
      nOutputs: data.nOutputs,
      task: data.task,
      seed: options.seed,
    });
    // The weights tfjs's fit would train, in its order (LayerVariable.read() is the tf.Variable itself).
    this.variables = this.network.trainableWeights.map((w) => w.read() as TF.Variable);
    this.updater = createUpdater(options.optimizer, options.learningRate, this.variables);
  }

  /** The metric early stopping watches, as "lower is better". */
  private score(point: HistoryPoint): number {
    const monitor = this.monitorName;
    const value = point[monitor];
    return monitor === 'val_acc' ? -value : value;
  }

  /** Watched metric's name, for messages. */
  get monitorName(): string {
    if (this.data.validation === null) return 'loss';
    if (this.options.monitor === 'val_accuracy' && this.data.task === 'classification') return 'val_acc';
    return this.options.monitor === 'loss' ? 'loss' : 'val_loss';
  }

  /** Per-row loss ([rows]): what tfjs's compiled loss computes for this task. */
  private rowLosses(ys: TF.Tensor, out: TF.Tensor): TF.Tensor {
    const t = tf();
    return this.data.task === 'classification' ? t.metrics.categoricalCrossentropy(ys, out) : t.metrics.meanSquaredError(ys, out);
  }

  /**
   * One optimisation step on the rows at `positions`, all in one tf.tidy: forward, loss
   * (class-weighted when asked, plus the layers' regularisation, as model.fit), gradients,
   * update. Returns the batch's cost and, for classification, its count of correct rows;
   * both stay on the device until the epoch ends.
   */
  private step(positions: Int32Array): { cost: TF.Scalar; correct: TF.Scalar | null } {
    const t = tf();
    let correct: TF.Scalar | null = null;
    try {
      const cost = t.tidy(() => {
        const { xs, ys, weights } = this.data.train.take(positions);
        const { value, grads } = t.variableGrads(() => {
          const out = this.network.apply(xs, { training: true }) as TF.Tensor;
          let losses = this.rowLosses(ys, out);
          if (weights) losses = t.mul(losses, weights);
          if (this.data.task === 'classification') correct = t.keep(t.sum(t.metrics.categoricalAccuracy(ys, out)) as TF.Scalar);
          let total = t.mean(losses) as TF.Scalar;
          for (const penalty of this.network.calculateLosses()) total = t.add(total, penalty);
          return total;
        }, this.variables);
        this.updater.apply(this.variables.map((v) => grads[v.name]));
        this.notePeak();
        return value;
      });
      return { cost, correct };
    } catch (error) {
      (correct as TF.Scalar | null)?.dispose();
      throw error;
    }
  }

  private notePeak(): void {
    const bytes = tf().memory().numBytes;
    if (bytes > this.peakTensorBytes) this.peakTensorBytes = bytes;
  }

  /** Validation loss and accuracy sums over every validation row (inference mode, no weights or penalties, as model.evaluate). */
  private validationSums(): TF.Tensor[] {
    const source = this.data.validation;
    if (!source) return [];
    const t = tf();
    const chunk = Math.max(this.options.batchSize, EVALUATION_CHUNK_ROWS);
    const sums: TF.Tensor[] = [];
    for (let start = 0; start < source.rows; start += chunk) {
      sums.push(
        t.tidy(() => {
          const { xs, ys } = source.range(start, Math.min(source.rows, start + chunk));
          const out = this.network.apply(xs, { training: false }) as TF.Tensor;
          const loss = t.sum(this.rowLosses(ys, out));
          this.notePeak();
          return this.data.task === 'classification' ? t.stack([loss, t.sum(t.metrics.categoricalAccuracy(ys, out))]) : t.reshape(loss, [1]);
        }),
      );
    }
    return sums;
  }

  /** Runs up to `epochs` more epochs; returns early when early stopping triggers. */
  async run(epochs: number): Promise<void> {
    const t = tf();
    const { signal } = this.options;
    const n = this.data.train.rows;
    const batchSize = Math.max(1, Math.min(this.options.batchSize, n));
    const batchesPerEpoch = Math.ceil(n / batchSize);
    const every = this.options.batchProgressEvery ?? 20;
    const classification = this.data.task === 'classification';
    let lastYield = Date.now();
    for (let e = 0; e < epochs && !this.stoppedEarly; e++) {
      if (signal?.aborted) throw new CancelledError();
      const epoch = ++this.epoch;
      const order = epochOrder(n, this.options.seed, epoch);
      const costs: TF.Scalar[] = [];
      const corrects: TF.Scalar[] = [];
      const sizes: number[] = [];
      let values: Float32Array;
      try {
        for (let batch = 0; batch < batchesPerEpoch; batch++) {
          if (Date.now() - lastYield > YIELD_EVERY_MS) {
            // Lets queued messages (a cancel from the UI) in while a long epoch runs.
            await yieldToEventLoop();
            lastYield = Date.now();
          }
          if (batch > 0 && batch % every === 0) this.options.onBatch?.(epoch, batch, batchesPerEpoch);
          // Checked before every batch: cancel takes effect within one batch.
          if (signal?.aborted) throw new CancelledError();
          const start = batch * batchSize;
          const positions = order.subarray(start, Math.min(n, start + batchSize));
          const { cost, correct } = this.step(positions);
          costs.push(cost);
          if (correct) corrects.push(correct);
          sizes.push(positions.length);
        }
        // One read-back per epoch: every batch's cost and count, and the validation sums.
        const validation = this.validationSums();
        const all = t.tidy(() => t.concat([t.stack(costs), ...(corrects.length > 0 ? [t.stack(corrects)] : []), ...validation]));
        t.dispose(validation);
        values = (await all.data()) as Float32Array;
        all.dispose();
      } finally {
        t.dispose(costs);
        t.dispose(corrects);
      }
      if (signal?.aborted) throw new CancelledError();

      const point: HistoryPoint = { epoch };
      let loss = 0;
      let correctRows = 0;
      sizes.forEach((size, i) => {
        loss += values[i] * size;
        if (classification) correctRows += values[sizes.length + i];
      });
      point.loss = loss / n;
      if (classification) point.acc = correctRows / n;
      const validation = this.data.validation;
      if (validation) {
        let offset = sizes.length * (classification ? 2 : 1);
        let valLoss = 0;
        let valCorrect = 0;
        while (offset < values.length) {
          valLoss += values[offset++];
          if (classification) valCorrect += values[offset++];
        }
        point.val_loss = valLoss / validation.rows;
        if (classification) point.val_acc = valCorrect / validation.rows;
      }
      this.history.push(point);
      if (this.firstEpochMs === null) this.firstEpochMs = performance.now() - this.startedAt;
      if (!Number.isFinite(point.loss) || (point.val_loss !== undefined && !Number.isFinite(point.val_loss))) {
        throw new DivergedError(
          `training diverged: the loss became ${point.loss} at epoch ${epoch}; lower the learning rate or scale the features`,
        );
      }
      this.options.onEpoch?.(point);
      this.track(point);
    }
  }

  private track(point: HistoryPoint): void {
    const score = this.score(point);
    if (score < this.bestScore - (this.options.tolerance ?? 1e-6)) {
      this.bestScore = score;
      this.bestEpoch = point.epoch;
      this.sinceBest = 0;
      if (this.options.restoreBest) {
        for (const w of this.bestWeights ?? []) w.dispose();
        this.bestWeights = this.network.getWeights().map((w) => w.clone());
      }
    } else {
      this.sinceBest++;
      if (this.options.patience > 0 && this.sinceBest >= this.options.patience) this.stoppedEarly = true;
    }
  }

  /** Reads the session's state back as arrays (see SessionCheckpoint); the session goes on unchanged. */
  async checkpoint(): Promise<SessionCheckpoint> {
    if (this.finished) throw new Error('a finished training session has no checkpoint');
    const read = (tensors: TF.Tensor[]) => Promise.all(tensors.map(async (w) => (await w.data()) as Float32Array));
    return {
      epoch: this.epoch,
      bestEpoch: this.bestEpoch,
      bestScore: this.bestScore,
      sinceBest: this.sinceBest,
      stoppedEarly: this.stoppedEarly,
      history: this.history.map((h) => ({ ...h })),
      weights: await read(this.network.getWeights()),
      optimizer: await read(this.updater.stateVariables()),
      bestWeights: this.bestWeights ? await read(this.bestWeights) : null,
    };
  }

  /** Continues from a checkpoint taken from a session over the same data and options. */
  restore(checkpoint: SessionCheckpoint): void {
    const t = tf();
    const current = this.network.getWeights();
    const state = this.updater.stateVariables();
    if (checkpoint.weights.length !== current.length || checkpoint.optimizer.length !== state.length) {
      throw new Error('the checkpoint does not match this network or optimizer');
    }
    const weights = checkpoint.weights.map((values, i) => t.tensor(values, current[i].shape));
    try {
      this.network.setWeights(weights);
    } finally {
      t.dispose(weights);
    }
    state.forEach((variable, i) => t.tidy(() => variable.assign(t.tensor(checkpoint.optimizer[i], variable.shape))));
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = checkpoint.bestWeights?.map((values, i) => t.tensor(values, current[i].shape)) ?? null;
    this.epoch = checkpoint.epoch;
    this.bestEpoch = checkpoint.bestEpoch;
    this.bestScore = checkpoint.bestScore;
    this.sinceBest = checkpoint.sinceBest;
    this.stoppedEarly = checkpoint.stoppedEarly;
    this.history.splice(0, this.history.length, ...checkpoint.history.map((h) => ({ ...h })));
  }

  /** Restores the best weights (when asked), frees the optimizer state and snapshots; the network stays. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.bestWeights) {
      this.network.setWeights(this.bestWeights);
      for (const w of this.bestWeights) w.dispose();
      this.bestWeights = null;
    }
    this.updater.dispose();
  }

  /** Frees everything including the network (a losing tune trial, or an error). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = null;
    if (!this.finished) this.updater.dispose();
    this.finished = true;
    this.network.dispose();
  }
}

/** Serialises a network's topology and weights (tfjs layers format) without touching storage. */
export async function saveNetwork(network: TF.LayersModel): Promise<{ modelTopology: unknown; weightSpecs: unknown[]; weightData: ArrayBuffer }> {
  const t = tf();
  let saved: TF.io.ModelArtifacts | null = null;
  await network.save(
    t.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as TF.io.ModelArtifacts | null;
  if (!artifacts || !artifacts.weightData) throw new Error('saving the network produced no weights');
  const weightData = Array.isArray(artifacts.weightData) ? t.io.CompositeArrayBuffer.join(artifacts.weightData) : artifacts.weightData;
  return { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [], weightData };
}

export interface ArtifactContext {
  name: string;
  dataset: Dataset;
  spec: ModelSpec;
  trainParams: Record<string, unknown>;
  graphId?: string;
  nodeId?: string;
  backend?: string;
}

export async function buildArtifact(session: TrainingSession, context: ArtifactContext): Promise<ModelArtifact> {
  const saved = await saveNetwork(session.network);
  const { dataset, spec } = context;
  return {
    name: context.name,
    ...saved,
    transforms: structuredClone(dataset.transforms),
    rawSchema: structuredClone(dataset.rawSchema),
    featureNames: [...session.data.featureNames],
    featureShape: dataset.featureShape ? [...dataset.featureShape] : undefined,
    target: structuredClone(session.data.target),
    spec: { family: spec.family, hyper: structuredClone(spec.hyper), nodeId: spec.nodeId },
    trainParams: {
      ...context.trainParams,
      epochsRun: session.epoch,
      bestEpoch: session.bestEpoch,
      stoppedEarly: session.stoppedEarly,
      trainRows: session.data.trainCount,
      validationRows: session.data.valCount,
      validationSource: session.data.validationSource,
      batches: session.data.storage === 'columns' ? 'built from columns' : 'one tensor',
      peakTensorMB: Math.round((session.peakTensorBytes / 2 ** 20) * 10) / 10,
      ...(session.firstEpochMs !== null ? { firstEpochSeconds: Math.round(session.firstEpochMs / 100) / 10 } : {}),
    },
    history: session.history.map((h) => ({ ...h })),
    lineage: {
      graphId: context.graphId,
      nodeId: context.nodeId,
      datasetHash: dataset.source.hash,
      createdAt: Date.now(),
      backend: context.backend ?? tf().getBackend(),
    },
  };
}
