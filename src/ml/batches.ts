/**
 * Where the training loop gets its batches. The loop asks a `BatchSource` for rows by
 * position (a shuffled batch) or by range (evaluation chunks) and never sees how the rows
 * are stored: `TensorBatchSource` keeps the whole table as tensors prepared once, which suits
 * tables that fit in memory; a source that builds each batch on demand from columnar data
 * (big tables) can implement the same interface without the loop changing.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from './tf';
import { mixSeed, seededRandom } from '../data/random';

export interface Batch {
  /** Features, [rows, nFeatures]. */
  xs: TF.Tensor2D;
  /** Targets as the loss wants them: one-hot [rows, classes] or standardised [rows, 1]. */
  ys: TF.Tensor2D;
  /** Per-row loss weights (balanced class weights), when asked for. */
  weights?: TF.Tensor1D;
}

/**
 * Rows for training or evaluation. The tensors of a `Batch` are valid only inside the
 * caller's `tf.tidy` and must not be disposed by the caller: a source may hand out its own
 * tensors (a range covering every row) or new ones that the tidy frees.
 */
export interface BatchSource {
  readonly rows: number;
  /** Rows at these positions (0 ≤ position < rows), in this order. */
  take(positions: Int32Array): Batch;
  /** Rows start … end − 1, in order. */
  range(start: number, end: number): Batch;
  dispose(): void;
}

/** A table held as tensors built once; batches are gathered (shuffled) or sliced (in order) from them. */
export class TensorBatchSource implements BatchSource {
  readonly rows: number;
  private disposed = false;

  /** Takes ownership of the tensors. */
  constructor(
    private readonly x: TF.Tensor2D,
    private readonly y: TF.Tensor2D,
    private readonly weights?: TF.Tensor1D,
  ) {
    this.rows = x.shape[0];
    if (y.shape[0] !== this.rows || (weights && weights.shape[0] !== this.rows)) {
      throw new Error(`batch source tensors disagree on the row count (${x.shape[0]}, ${y.shape[0]}${weights ? `, ${weights.shape[0]}` : ''})`);
    }
  }

  take(positions: Int32Array): Batch {
    const t = tf();
    const indices = t.tensor1d(positions, 'int32');
    return {
      xs: t.gather(this.x, indices),
      ys: t.gather(this.y, indices),
      weights: this.weights ? t.gather(this.weights, indices) : undefined,
    };
  }

  range(start: number, end: number): Batch {
    if (start === 0 && end === this.rows) return { xs: this.x, ys: this.y, weights: this.weights };
    const t = tf();
    const size = end - start;
    return {
      xs: t.slice(this.x, [start, 0], [size, -1]),
      ys: t.slice(this.y, [start, 0], [size, -1]),
      weights: this.weights ? t.slice(this.weights, [start], [size]) : undefined,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const tensor of [this.x, this.y, this.weights]) tensor?.dispose();
  }
}

/**
 * The order rows are visited in during one epoch: a Fisher–Yates permutation seeded by
 * (seed, epoch), so a run reproduces on every backend and the order does not depend on
 * how many epochs ran before in this process.
 */
export function epochOrder(rows: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const random = seededRandom(mixSeed(seed, epoch));
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** What a columnar source reads: the partition's rows, each feature's column, and the targets of those rows. */
export interface ColumnarRows {
  /** Table rows of this partition, in order: position i of the source is table row rows[i]. */
  rows: ArrayLike<number>;
  /** One full-table column per feature (numeric, no missing value at these rows). */
  features: ArrayLike<number>[];
  /** Per position: the class index (classification) or the raw target (regression). */
  targets: Float32Array;
  task: 'classification' | 'regression';
  /** Number of classes (classification) or 1. */
  nOutputs: number;
  /** Regression targets are standardised as the tensor path does. */
  scale?: { mean: number; std: number };
  /** Per-class loss weights, when asked for. */
  classWeight?: number[];
}

/**
 * A table too big to hold as one tensor: each batch is built on demand from the columnar
 * data (float64 columns → a float32 batch), so memory holds one batch's tensors, not the
 * partition's. Batches equal `TensorBatchSource`'s for the same positions, value for value:
 * the same float32 rounding of features, the same standardised or one-hot targets, the same
 * class weights. Its tensors are new ones for the caller's tf.tidy to free.
 */
export class ColumnarBatchSource implements BatchSource {
  readonly rows: number;

  constructor(private readonly data: ColumnarRows) {
    this.rows = data.rows.length;
    if (data.targets.length !== this.rows) throw new Error(`columnar source: ${data.targets.length} targets for ${this.rows} rows`);
  }

  /** Bytes of one batch of `rows` rows (features, targets and weights, float32). */
  static batchBytes(rows: number, nFeatures: number, nOutputs: number, weighted: boolean): number {
    return rows * (nFeatures + nOutputs + (weighted ? 1 : 0)) * 4;
  }

  take(positions: Int32Array): Batch {
    return this.build(positions.length, (i) => positions[i]);
  }

  range(start: number, end: number): Batch {
    return this.build(end - start, (i) => start + i);
  }

  private build(size: number, positionAt: (i: number) => number): Batch {
    const { rows, features, targets, task, nOutputs, scale, classWeight } = this.data;
    const nFeatures = features.length;
    const x = new Float32Array(size * nFeatures);
    const y = new Float32Array(size * (task === 'classification' ? nOutputs : 1));
    const w = classWeight ? new Float32Array(size) : null;
    const { mean, std } = scale ?? { mean: 0, std: 1 };
    for (let i = 0; i < size; i++) {
      const position = positionAt(i);
      const row = rows[position];
      for (let j = 0; j < nFeatures; j++) x[i * nFeatures + j] = features[j][row];
      const target = targets[position];
      if (task === 'classification') {
        y[i * nOutputs + target] = 1;
        if (w) w[i] = classWeight![target];
      } else {
        y[i] = (target - mean) / std;
      }
    }
    const t = tf();
    return {
      xs: t.tensor2d(x, [size, nFeatures]),
      ys: t.tensor2d(y, [size, task === 'classification' ? nOutputs : 1]),
      weights: w ? t.tensor1d(w) : undefined,
    };
  }

  dispose(): void {
    // Nothing held: batches are freed by the caller's tidy.
  }
}
