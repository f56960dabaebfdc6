/**
 * tfjs reaches ml (and through it node) code through this module, injected by the runtime
 * after it picked a backend (worker, CLI, tests). Everything here imports tfjs types only:
 * the module that chooses and loads tfjs is src/runtime/backend*.ts.
 */
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;

let current: Tf | null = null;

export function provideTf(tf: Tf): void {
  current = tf;
}

export function tf(): Tf {
  if (!current) throw new Error('TensorFlow.js is not initialised in this thread (call provideTf first)');
  return current;
}
