/**
 * Running a network on feature rows: batched, inside tf.tidy, returning plain arrays.
 * Evaluate, tune and the predictor all go through here.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from './tf';
import type { ModelTarget } from './data';

/** Network outputs for row-major `values` (rows × cols): probabilities (classification) or scaled numbers. */
export function networkOutputs(network: TF.LayersModel, values: Float32Array, rows: number, cols: number, batchSize = 1024): Float32Array {
  const t = tf();
  const outputUnits = (network.outputs[0].shape[1] as number) ?? 1;
  const out = new Float32Array(rows * outputUnits);
  for (let start = 0; start < rows; start += batchSize) {
    const count = Math.min(batchSize, rows - start);
    const chunk = t.tidy(() => {
      const x = t.tensor2d(values.subarray(start * cols, (start + count) * cols), [count, cols]);
      return (network.predict(x) as TF.Tensor).dataSync() as Float32Array;
    });
    out.set(chunk, start * outputUnits);
  }
  return out;
}

/** Maps the network's (standardised) regression outputs back to the target's units. */
export function unscaleRegression(outputs: Float32Array, target: ModelTarget): Float64Array {
  const { mean, std } = target.scale ?? { mean: 0, std: 1 };
  return Float64Array.from(outputs, (v) => v * std + mean);
}
