/**
 * The browser's same-origin endpoints: /api/endpoints/<name>/<route> answered by src/serving's
 * handler (POST /predict, GET /health, /metrics, /schema, /drift) for the endpoint's live
 * version, its model loaded from the model store. Transport-free: the service worker turns
 * fetch events into calls here; tests call it directly.
 *
 * Every answered prediction is appended to the endpoint's log in the store before its own
 * response goes out, so the monitor sees it as soon as the client has its answer.
 */
import type { EndpointMeta, EndpointStore, LoggedPrediction, ModelStore } from '../../engine/services';
import { createServingPredictor, modelVersion, servingModelFromArtifact } from '../artifact';
import { createServingHandler, type ServingHandler, type ServingRequest, type ServingResponse } from '../handler';
import { PredictionLog } from '../log';
import { ENDPOINTS_PREFIX } from './paths';
import { errorMessage } from '../../engine/errors';

export { ENDPOINTS_PREFIX };

export interface EndpointRouterOptions {
  endpoints: EndpointStore;
  models: ModelStore;
  /** Makes tfjs ready (once) and says which backend runs. */
  ensureBackend(): Promise<string>;
  /** Predictions kept in memory per endpoint for /drift and /metrics (default 5000). */
  logCapacity?: number;
  now?: () => number;
}

interface Loaded {
  name: string;
  version: number;
  modelId: string;
  handler: ServingHandler;
  dispose(): void;
}

export interface EndpointRouter {
  /** `path` is the full URL path (with query), e.g. "/api/endpoints/iris/predict". Null when it is not an endpoint URL. */
  handle(request: ServingRequest): Promise<ServingResponse | null>;
  /** Frees every loaded model (tests, shutdown). */
  dispose(): void;
}

const json = (status: number, value: unknown): ServingResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(value)}\n`,
});

function describe(meta: EndpointMeta) {
  const live = meta.versions.find((v) => v.version === meta.live);
  return { name: meta.name, live: meta.live, model: live?.modelName ?? null, versions: meta.versions.length, url: `${ENDPOINTS_PREFIX}/${meta.name}/predict` };
}

export function createEndpointRouter(options: EndpointRouterOptions): EndpointRouter {
  const loaded = new Map<string, Promise<Loaded>>();
  const capacity = options.logCapacity ?? 5000;

  async function load(meta: EndpointMeta): Promise<Loaded> {
    const live = meta.versions.find((v) => v.version === meta.live)!;
    const backend = await options.ensureBackend();
    const artifact = await options.models.load(live.modelId);
    if (!artifact) throw new Error(`the model behind ${meta.name} v${live.version} is no longer in the model store`);
    const predictor = await createServingPredictor(artifact);
    const model = { ...servingModelFromArtifact(artifact, predictor, backend), version: `${live.version}-${modelVersion(artifact)}` };
    // /drift and /metrics continue from what was logged before this worker (re)started.
    const log = new PredictionLog(capacity);
    for (const entry of await options.endpoints.predictions(meta.name, { limit: capacity })) log.push({ ...entry, modelVersion: String(entry.version) });
    let warned = false;
    const handler = createServingHandler(model, {
      log,
      now: options.now,
      // The handler awaits this request's own write before answering it.
      onLogged: (entries) => {
        const rows: LoggedPrediction[] = entries.map((e) => ({ endpoint: meta.name, version: live.version, time: e.time, inputs: e.inputs, output: e.output, latencyMs: e.latencyMs, batchSize: e.batchSize }));
        return options.endpoints.appendPredictions(rows);
      },
      onLogError: (error) => {
        if (warned) return;
        warned = true;
        console.warn(`Endpoint ${meta.name}: predictions are answered but could not be logged (counted in /metrics and /health)`, error);
      },
    });
    return { name: meta.name, version: live.version, modelId: live.modelId, handler, dispose: () => predictor.dispose() };
  }

  /** The loaded live version of `name`, (re)loaded when the live version changed. */
  async function serving(meta: EndpointMeta): Promise<Loaded> {
    const live = meta.versions.find((v) => v.version === meta.live)!;
    const current = loaded.get(meta.name);
    if (current) {
      const ready = await current.catch(() => null);
      if (ready && ready.modelId === live.modelId && ready.version === live.version) return ready;
      if (loaded.get(meta.name) === current) {
        loaded.delete(meta.name);
        ready?.dispose();
      }
    }
    let next = loaded.get(meta.name);
    if (!next) {
      next = load(meta);
      loaded.set(meta.name, next);
      // A failed load is retried on the next request.
      next.catch(() => loaded.get(meta.name) === next && loaded.delete(meta.name));
    }
    return next;
  }

  return {
    async handle(request) {
      const url = new URL(request.url, 'http://localhost');
      if (url.pathname !== ENDPOINTS_PREFIX && !url.pathname.startsWith(`${ENDPOINTS_PREFIX}/`)) return null;
      const rest = url.pathname.slice(ENDPOINTS_PREFIX.length).split('/').filter(Boolean);
      if (rest.length === 0) {
        if (request.method.toUpperCase() !== 'GET') return json(405, { error: `${request.method} is not allowed on ${ENDPOINTS_PREFIX} (use GET)` });
        return json(200, { endpoints: (await options.endpoints.list()).map(describe) });
      }
      const [name, ...route] = rest;
      const meta = await options.endpoints.get(decodeURIComponent(name));
      if (!meta) return json(404, { error: `no endpoint named "${decodeURIComponent(name)}": deploy a model first (GET ${ENDPOINTS_PREFIX} lists them)` });
      if (meta.live === null || !meta.versions.some((v) => v.version === meta.live)) return json(503, { error: `endpoint "${meta.name}" has no live version: promote one` });
      let target: Loaded;
      try {
        target = await serving(meta);
      } catch (error) {
        return json(503, { error: `endpoint "${meta.name}" cannot load its model: ${errorMessage(error)}` });
      }
      return target.handler.handle({ ...request, url: `/${route.join('/')}${url.search}` });
    },
    dispose() {
      for (const promise of loaded.values()) void promise.then((l) => l.dispose(), () => undefined);
      loaded.clear();
    },
  };
}
