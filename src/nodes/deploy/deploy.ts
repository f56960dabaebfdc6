import { implement } from '../../engine/node';
import type { TrainedModel } from '../../data/types';
import { ENDPOINT_NAME_PATTERN } from '../../engine/services';
import { deploySpec } from '../../catalog/deploy/deploy';

const VALID_NAME = new RegExp(`^(?:${ENDPOINT_NAME_PATTERN})$`);

export const deploy = implement(deploySpec, {
  run: async ({ inputs, params, services, signal }) => {
    const endpoints = services.endpoints;
    const models = services.models;
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
