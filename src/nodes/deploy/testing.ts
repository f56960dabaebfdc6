/** Test helpers for deploy/monitor: a small trained model, stores, and real traffic through src/serving's handler. */
import type { TrainedModel } from '../../data/types';
import type { EndpointStore, LoggedPrediction, ModelStore } from '../../engine/services';
import { blobsDataset, runNode } from '../../ml/test-helpers';
import { createServingPredictor, servingModelFromArtifact } from '../../serving/artifact';
import { createServingHandler } from '../../serving/handler';
import { MemoryEndpointStore, modelNamer } from '../../storage/endpoints';
import { MemoryModelStore } from '../../storage/memory';
import { train } from '../train/train';

export async function trainBlobs(seed = 42): Promise<TrainedModel> {
  const spec = { family: 'mlp' as const, hyper: { layers: [8], activation: 'relu', dropout: 0, l2: 0 } };
  const out = await runNode(train, { data: blobsDataset(), spec }, { params: { epochs: 30, learningRate: 0.05 }, seed });
  return out.model as TrainedModel;
}

export function stores(): { models: ModelStore; endpoints: EndpointStore } {
  const models = new MemoryModelStore();
  return { models, endpoints: new MemoryEndpointStore(modelNamer(models)) };
}

/** Sends records to the endpoint's live model through the real serving handler, logging like the service worker. */
export async function sendTraffic(endpoints: EndpointStore, models: ModelStore, name: string, records: Record<string, unknown>[], time: number): Promise<number[]> {
  const meta = (await endpoints.get(name))!;
  const artifact = (await models.load(meta.versions.find((v) => v.version === meta.live)!.modelId))!;
  const predictor = await createServingPredictor(artifact);
  const logged: LoggedPrediction[] = [];
  const handler = createServingHandler(servingModelFromArtifact(artifact, predictor, 'cpu'), {
    now: () => time,
    onLogged: (entries) => logged.push(...entries.map((e) => ({ endpoint: name, version: meta.live!, time: e.time, inputs: e.inputs, output: e.output, latencyMs: e.latencyMs, batchSize: e.batchSize }))),
  });
  const statuses: number[] = [];
  try {
    for (const record of records) statuses.push((await handler.handle({ method: 'POST', url: '/predict', body: JSON.stringify(record), contentType: 'application/json' })).status);
  } finally {
    predictor.dispose();
  }
  await endpoints.appendPredictions(logged);
  return statuses;
}
