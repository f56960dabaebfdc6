import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { ENDPOINT_NAME_PATTERN } from '../../engine/services';

/**
 * Deploys a trained model as a new version of a named endpoint and makes it live. The model
 * is saved to the model store first when it is not there yet. In the browser the endpoint
 * answers at POST /api/endpoints/<name>/predict (the service worker reads the same database).
 */
export const deploySpec = defineSpec({
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
});
