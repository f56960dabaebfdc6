/**
 * The engine worker (module worker): tfjs, the node catalogue, the executor and the Dexie
 * stores live here, never on the main thread. Exposed with comlink as EngineWorkerApi.
 */
import * as Comlink from 'comlink';
import { createRegistry } from '../nodes';
import { DexieDatasetStore } from '../storage/datasets';
import { getDb } from '../storage/db';
import { DexieEndpointStore } from '../storage/endpoints';
import { DexieModelStore } from '../storage/models';
import { NodeOutputStore } from '../storage/outputs';
import { RunHistoryStore } from '../storage/runs';
import { browserBackendPlatform } from './backend-browser';
import { EngineHost } from './engine-host';
import { modelIo } from './model-io';
import type { EngineWorkerApi } from './protocol';
import { createFetchReader } from './read-file-browser';
import { browserTrialRunner } from './trial-pool-browser';

const db = getDb();
const appBase = new URL(import.meta.env.BASE_URL, self.location.origin);

const host = new EngineHost({
  registry: createRegistry(),
  loadTf: () => import('@tensorflow/tfjs'),
  platform: browserBackendPlatform,
  readFile: createFetchReader(appBase),
  datasets: new DexieDatasetStore(db),
  models: new DexieModelStore(db),
  modelIo,
  runs: new RunHistoryStore(db),
  outputs: new NodeOutputStore(db),
  // Deploy/monitor nodes: the service worker serves what they write to the same database.
  // Tune trials: a pool of nested workers, one per core.
  extraServices: { endpoints: new DexieEndpointStore(db), trialRunner: browserTrialRunner() },
});

const api: EngineWorkerApi = {
  ping: async () => undefined,
  init: (preference) => host.init(preference),
  run: async (runId, graph, options, onEvents) => {
    try {
      return await host.run(runId, graph, options, onEvents);
    } finally {
      // The callback is a comlink proxy holding a MessagePort: release it once the run is over.
      (onEvents as unknown as Partial<Comlink.ProxyMethods>)[Comlink.releaseProxy]?.();
    }
  },
  cancel: (runId) => host.cancel(runId),
  views: (graph, nodeId) => host.views(graph, nodeId),
  columns: (graph, nodeId, port) => host.columns(graph, nodeId, port),
  restore: (graph) => host.restore(graph),
  hashFile: (token) => host.hashFile(token),
  profileFile: (token) => host.profileFile(token),
  predict: (modelId, record) => host.predict(modelId, record),
  exportModel: async (modelId) => {
    const zip = await host.exportModel(modelId);
    return Comlink.transfer(zip, [zip.buffer]);
  },
  exportOnnx: async (modelId) => {
    const onnx = await host.exportOnnx(modelId);
    return Comlink.transfer(onnx, [onnx.buffer]);
  },
  importModel: (zip) => host.importModel(zip),
  putFile: (token, name, bytes) => host.putFile(token, name, bytes),
  putFileBlob: (token, name, blob) => host.putFileBlob(token, name, blob),
  // Test builds only: a production build folds this to nothing (e2e/build-output.spec.ts checks).
  ...(import.meta.env.MODE === 'test'
    ? {
        crashForTest: async () => {
          // Thrown from a timer, outside any call: an uncaught error, like a real crash.
          setTimeout(() => {
            throw new Error('simulated crash (crashForTest)');
          }, 0);
        },
      }
    : {}),
};

Comlink.expose(api);
