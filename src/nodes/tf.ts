/**
 * tfjs reaches node code through this module, injected by the runtime after it picked a
 * backend (worker, CLI, tests). Node files import tfjs types only, so the node catalogue
 * (titles, ports, params) loads on the main thread without pulling tfjs into its bundle.
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
