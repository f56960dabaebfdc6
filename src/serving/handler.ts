/**
 * The prediction endpoint's request handling, independent of any HTTP stack: the CLI
 * server (node:http) and the browser's service worker both turn their requests into a
 * `ServingRequest` and write back the `ServingResponse`.
 *
 * Routes: POST /predict, GET /health, GET /metrics, GET /schema, GET /drift[?window=ms].
 */
import type { ColumnSchema, TargetInfo } from '../data/types';
import { batchPredictions } from './batcher';
import { computeDrift, DEFAULT_THRESHOLDS, type DriftThresholds, driftTimeline } from './drift';
import { DEFAULT_LOG_CAPACITY, PredictionLog, type PredictionLogEntry, type PredictionOutput } from './log';
import { METRICS_CONTENT_TYPE, ServingMetrics } from './metrics';
import { isReferenceProfile, type ReferenceProfile } from './reference';
import { DEFAULT_LIMITS, inputSchema, type RequestErrorBody, validateRequestBody, type ValidationOptions } from './validate';
import { errorMessage } from '../engine/errors';

export interface PredictionResult extends PredictionOutput {
  /** Non-fatal notes from the transform chain, e.g. an unseen category mapped to "unknown". */
  warnings?: string[];
}

/** What the handler needs from a loaded model; the CLI adapts C's predictor to this. */
export interface ServingModel {
  name: string;
  /** Identifies the exact weights + chain served (e.g. a content hash or a store version). */
  version: string;
  backend: string;
  rawSchema: ColumnSchema[];
  target: TargetInfo;
  /** Raw fields a request may leave out (the fitted chain imputes them), e.g. from `chainFills`. */
  optionalFields?: Iterable<string>;
  /** `ModelArtifact.reference`: enables drift monitoring when it is a reference profile. */
  reference?: unknown;
  /** One result per record, same order. A thrown error with `fields` is the client's fault (422). */
  predict(records: Record<string, unknown>[]): Promise<PredictionResult[]>;
}

export interface ServingRequest {
  method: string;
  /** Path with optional query string, e.g. "/drift?window=60000". */
  url: string;
  /** Body as text or raw bytes (decoded here as strict UTF-8); empty when none. */
  body?: string | Uint8Array;
  /** The Content-Type header, when the client sent one. */
  contentType?: string;
  /** The transport stopped reading because the body exceeded `maxBytes`. */
  bodyTooLarge?: boolean;
}

export interface ServingResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ServingHandlerOptions extends ValidationOptions {
  log?: PredictionLog;
  logCapacity?: number;
  /**
   * Stores the entries of each answered request (the CLI appends them to a file, the browser
   * to IndexedDB); it may return a promise. The answer waits for it, so a client that has its
   * answer has its record logged. When it fails the prediction is still answered: the failure
   * is counted in /metrics and /health and passed to `onLogError`.
   */
  onLogged?: (entries: PredictionLogEntry[]) => unknown;
  /** Told each failure of `onLogged`, with the records that were not stored. */
  onLogError?: (error: unknown, entries: PredictionLogEntry[]) => void;
  /** Most recent logged records that the drift gauges in /metrics compare (default 1000). */
  driftRecords?: number;
  /** Time window for the drift timeline ("drifting since"), default one hour. */
  driftWindowMs?: number;
  thresholds?: DriftThresholds;
  /** Predict concurrent requests in shared network calls (default true). */
  batching?: boolean;
  /** Epoch ms clock (tests pass a fixed one). */
  now?: () => number;
  /** Monotonic ms clock for latency. */
  monotonic?: () => number;
}

export interface ServingHandler {
  handle(request: ServingRequest): Promise<ServingResponse>;
  readonly log: PredictionLog;
  readonly metrics: ServingMetrics;
  readonly limits: { maxBytes: number; maxRecords: number };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const ROUTES: Record<string, string[]> = {
  '/predict': ['POST'],
  '/health': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
  '/schema': ['GET', 'HEAD'],
  '/drift': ['GET', 'HEAD'],
};

/** An error whose `fields` say which inputs were at fault (the transform chain's RecordError). */
function fieldErrors(error: unknown): Record<string, string> | null {
  if (typeof error !== 'object' || error === null) return null;
  const fields = (error as { fields?: unknown }).fields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return null;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): ServingResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: `${JSON.stringify(value)}\n`,
});
const fail = (status: number, body: RequestErrorBody, headers: Record<string, string> = {}) => json(status, body, headers);

export function createServingHandler(model: ServingModel, options: ServingHandlerOptions = {}): ServingHandler {
  return new Endpoint(model, options);
}

/** One served model: routes requests, predicts, logs what it answered, and reports health, metrics and drift. */
class Endpoint implements ServingHandler {
  readonly log: PredictionLog;
  readonly metrics = new ServingMetrics();
  readonly limits: { maxBytes: number; maxRecords: number };
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly thresholds: DriftThresholds;
  private readonly driftRecords: number;
  private readonly driftWindowMs: number;
  private readonly schema: ReturnType<typeof inputSchema>;
  private readonly predictRecords: (records: Record<string, unknown>[]) => Promise<PredictionResult[]>;
  /** The training profile over the features requests carry (a profile may include the target), or null: no drift. */
  private readonly reference: ReferenceProfile | null;
  /** The last log write's failure, while writes keep failing (null once one succeeds). */
  private logError: string | null = null;

  constructor(
    private readonly model: ServingModel,
    private readonly options: ServingHandlerOptions,
  ) {
    this.log = options.log ?? new PredictionLog(options.logCapacity ?? DEFAULT_LOG_CAPACITY);
    this.now = options.now ?? (() => Date.now());
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    this.driftRecords = options.driftRecords ?? 1000;
    this.driftWindowMs = options.driftWindowMs ?? 60 * 60 * 1000;
    this.limits = { maxBytes: options.maxBytes ?? DEFAULT_LIMITS.maxBytes, maxRecords: options.maxRecords ?? DEFAULT_LIMITS.maxRecords };
    this.schema = inputSchema(model.rawSchema, model.target.name);
    this.predictRecords = options.batching === false ? (records) => model.predict(records) : batchPredictions((records) => model.predict(records));
    const inputNames = new Set(this.schema.map((c) => c.name));
    this.reference = isReferenceProfile(model.reference) ? { ...model.reference, features: model.reference.features.filter((f) => inputNames.has(f.name)) } : null;
    this.metrics.setModelInfo({ name: model.name, version: model.version, task: model.target.task, backend: model.backend });
  }

  async handle(request: ServingRequest): Promise<ServingResponse> {
    const response = await this.route(request);
    this.metrics.countRequest(response.status);
    if (request.method.toUpperCase() === 'HEAD') return { ...response, body: '' };
    return response;
  }

  private async route(request: ServingRequest): Promise<ServingResponse> {
    const parsed = new URL(request.url, 'http://localhost');
    const allowed = ROUTES[parsed.pathname];
    if (!allowed) return fail(404, { error: `no route ${parsed.pathname}: try POST /predict, GET /health, GET /metrics, GET /schema, GET /drift` });
    const method = request.method.toUpperCase();
    if (!allowed.includes(method)) return fail(405, { error: `${method} is not allowed on ${parsed.pathname} (use ${allowed.join(' or ')})` }, { allow: allowed.join(', ') });

    switch (parsed.pathname) {
      case '/predict':
        return this.predict(request);
      case '/health':
        return this.health();
      case '/schema':
        return json(200, { inputs: this.schema, target: this.model.target, limits: this.limits });
      case '/drift':
        return this.drift(parsed.searchParams);
      default:
        return this.scrape();
    }
  }

  private async predict(request: ServingRequest): Promise<ServingResponse> {
    const body = this.bodyText(request);
    if (typeof body !== 'string') return body;
    const { model, limits } = this;
    const started = this.monotonic();
    const validation = validateRequestBody(body, this.schema, { ...this.options, ...limits, optionalFields: model.optionalFields });
    if (!validation.ok) return fail(validation.status, validation.body);

    let results: PredictionResult[];
    try {
      results = await this.predictRecords(validation.records);
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields) return fail(422, { error: (error as Error).message || 'invalid input', fields });
      this.metrics.countError();
      return fail(500, { error: `prediction failed: ${errorMessage(error)}` });
    }
    if (results.length !== validation.records.length) {
      this.metrics.countError();
      return fail(500, { error: `prediction failed: ${results.length} results for ${validation.records.length} records` });
    }
    const latencyMs = this.monotonic() - started;
    this.metrics.observePrediction(results.length, latencyMs / 1000);

    const time = this.now();
    const outputs = results.map(({ prediction, probabilities }) => (probabilities ? { prediction, probabilities } : { prediction }));
    const entries = validation.records.map((inputs, i) => ({ time, modelVersion: model.version, inputs, output: outputs[i], latencyMs, batchSize: results.length }));
    for (const entry of entries) this.log.push(entry);
    await this.store(entries);

    const warnings = [...validation.warnings, ...results.flatMap((r, i) => (r.warnings ?? []).map((w) => (validation.single ? w : `records[${i}]: ${w}`)))];
    return json(200, {
      model: { name: model.name, version: model.version },
      predictions: outputs,
      ...(warnings.length > 0 ? { warnings } : {}),
    });
  }

  /** The request body as text, or the response refusing it (too large, multipart, not UTF-8). */
  private bodyText(request: ServingRequest): string | ServingResponse {
    if (request.bodyTooLarge) return fail(413, { error: `request body is larger than ${this.limits.maxBytes} bytes` });
    // Lenient on purpose: `curl -d '{...}'` labels JSON as a form. Only bodies that cannot be JSON are refused.
    if (request.contentType && /^multipart\//i.test(request.contentType.trim())) {
      return fail(415, { error: `send JSON (Content-Type: application/json), not ${request.contentType.split(';')[0]}` });
    }
    try {
      return typeof request.body === 'string' ? request.body : utf8.decode(request.body ?? new Uint8Array(0));
    } catch {
      return fail(400, { error: 'body is not valid UTF-8' });
    }
  }

  /** Hands answered records to `onLogged`; a failure is counted and reported, never fatal to the answer. */
  private async store(entries: PredictionLogEntry[]): Promise<void> {
    const { onLogged, onLogError } = this.options;
    if (!onLogged) return;
    try {
      await onLogged(entries);
      this.logError = null;
    } catch (error) {
      // The prediction stands: the client gets it, the lost log records are counted.
      this.metrics.countLogFailure(entries.length);
      this.logError = errorMessage(error);
      try {
        onLogError?.(error, entries);
      } catch {
        // A broken reporter must not turn a good answer into a 500.
      }
    }
  }

  private health(): ServingResponse {
    const { model, logError } = this;
    return json(200, {
      // 'degraded': predictions are answered but the prediction log is not being written.
      status: logError === null ? 'ok' : 'degraded',
      model: { name: model.name, version: model.version, task: model.target.task },
      backend: model.backend,
      logged: this.log.total,
      logFailures: this.metrics.logFailures,
      ...(logError !== null ? { logError } : {}),
    });
  }

  private drift(query: URLSearchParams): ServingResponse {
    const { reference, log, thresholds } = this;
    if (!reference) return json(200, { status: 'unknown', reason: 'the model carries no training reference profile', windows: [], driftingSince: null });
    const windowMs = Number(query.get('window') ?? this.driftWindowMs);
    if (!Number.isFinite(windowMs) || windowMs < 1000) return fail(400, { error: 'window must be a number of milliseconds ≥ 1000' });
    const timeline = driftTimeline(reference, log.entries(), windowMs, thresholds);
    const latest = computeDrift(reference, log.entries(this.driftRecords).map((e) => e.inputs), thresholds);
    return json(200, { status: latest.status, latest, driftingSince: timeline.driftingSince, windowMs, windows: timeline.windows });
  }

  /** /metrics: drift gauges over the most recent traffic, refreshed per scrape. */
  private scrape(): ServingResponse {
    const { reference, log, thresholds, metrics } = this;
    if (reference) {
      const since = driftTimeline(reference, log.entries(), this.driftWindowMs, thresholds).driftingSince;
      metrics.setDrift(computeDrift(reference, log.entries(this.driftRecords).map((e) => e.inputs), thresholds), since);
    }
    return { status: 200, headers: { 'content-type': METRICS_CONTENT_TYPE }, body: metrics.render() };
  }
}
