/**
 * A browser trial worker (module worker, spawned by the engine worker's pool): tfjs on the
 * engine's backend and the tune node's trial code, exposed with comlink as TrialWorkerApi.
 */
import * as Comlink from 'comlink';
import { provideTf } from '../ml/tf';
import { browserBackendPlatform } from './backend-browser';
import { trialWorkerApi } from './trial-pool';
import type { BackendName } from './protocol';

const api = trialWorkerApi(async (backend) => {
  const tf = await import('@tensorflow/tfjs');
  await browserBackendPlatform.register(backend as BackendName, tf);
  if (!(await tf.setBackend(backend))) throw new Error(`the trial worker could not start ${backend}`);
  await tf.ready();
  provideTf(tf);
});

Comlink.expose(api);
