import type { TrainedModel } from '../../data/types';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { ENDPOINT_NAME_PATTERN, type EndpointStore, type ModelStore } from '../../engine/services';

const VALID_NAME = new RegExp(`^(?:${ENDPOINT_NAME_PATTERN})$`);

/**
 * Deploys a trained model as a new version of a named endpoint and makes it live. The model
 * is saved to the model store first when it is not there yet. In the browser the endpoint
 * answers at POST /api/endpoints/<name>/predict (the service worker reads the same database).
 */
export const deploy = defineNode({
  type: 'deploy.endpoint',
  version: 1,
  title: 'Deploy endpoint',
  stage: 'deploy',
  description: 'Adds the model as a new live version of an endpoint: POST /api/endpoints/<name>/predict in this browser.',
  // Side effects in the endpoint store: always run (re-deploying the same stored model is a no-op).
  deterministic: false,
  inputs: { model: port('model') },
  outputs: { endpoint: port('endpoint') },
  params: {
    name: p.text('model', { label: 'Endpoint name', pattern: ENDPOINT_NAME_PATTERN, help: 'lower-case letters, digits and "-": the URL is /api/endpoints/<name>/predict' }),
    note: p.text('', { label: 'Note', placeholder: 'what changed in this version' }),
  },
  run: async ({ inputs, params, services, signal }) => {
    const endpoints = services.endpoints as EndpointStore | undefined;
    const models = services.models as ModelStore | undefined;
    if (!endpoints) throw new Error('deploying is not available here (no endpoint store)');
    // Checked before anything is saved, so a bad name leaves no stray model behind.
    if (!VALID_NAME.test(params.name)) throw new Error(`"${params.name}" is not a valid endpoint name: use lower-case letters, digits and "-"`);
    const model: TrainedModel = inputs.model;
    if (!model.registryId) {
      if (!models) throw new Error('the model is not in the model store and there is no store to save it to');
      // Recorded on the (cached) model, so later runs and the Models panel see the same entry.
      model.registryId = (await models.save(model.artifact)).id;
    }
    signal.throwIfAborted();
    const live = await endpoints.get(params.name);
    const current = live?.versions.find((v) => v.version === live.live);
    // Re-running with the same stored model does not stack up identical versions.
    if (current && current.modelId === model.registryId) return { endpoint: { name: params.name, version: current.version } };
    const version = await endpoints.deploy(params.name, model.registryId, { note: params.note.trim() || undefined });
    return { endpoint: { name: params.name, version: version.version } };
  },
  summarize: ({ endpoint }) => ({ text: `live: /api/endpoints/${endpoint.name} v${endpoint.version}` }),
});
