/** A CLI trial worker thread (see trial-pool-node.ts): tfjs on the engine's backend, the tune node's trial code. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { initBackend } from './backend';
import { nodeBackendPlatform } from './backend-node';
import { trialWorkerApi } from './trial-pool';

if (!parentPort) throw new Error('trial-worker-node.ts runs as a worker thread');

const api = trialWorkerApi(async (backend) => {
  const tf = await import('@tensorflow/tfjs');
  const info = await initBackend(tf, backend as 'wasm', nodeBackendPlatform);
  if (info.name !== backend) throw new Error(`the trial worker could not start ${backend}: ${info.reason}`);
});

Comlink.expose(api, nodeEndpoint(parentPort));
