/**
 * Where the training loop gets its batches. The loop asks a `BatchSource` for rows by
 * position (a shuffled batch) or by range (evaluation chunks) and never sees how the rows
 * are stored: `TensorBatchSource` keeps the whole table as tensors prepared once, which suits
 * tables that fit in memory; a source that builds each batch on demand from columnar data
 * (big tables) can implement the same interface without the loop changing.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../nodes/tf';
import { mixSeed, seededRandom } from './random';

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
