/**
 * Endpoints and their prediction logs: Dexie (browser: the app, the engine worker and the
 * service worker share the database, so an endpoint deployed in the worker answers in the
 * service worker and survives a reload) and in memory (CLI, tests). The version bookkeeping
 * is one set of pure functions both use.
 */
import { ENDPOINT_NAME_PATTERN, type EndpointMeta, type EndpointStore, type EndpointVersion, type LoggedPrediction } from '../engine/services';
import type { PipelineStudioDb, PredictionRecord } from './db';
import { guardQuota } from './errors';
import { checkWith, endpointMetaSchema, scanRecords, type RecordScan } from './records';

/** Logged predictions kept per endpoint (older ones are dropped). */
export const PREDICTIONS_KEPT_PER_ENDPOINT = 5000;

const NAME = new RegExp(`^(?:${ENDPOINT_NAME_PATTERN})$`);

/** A readable reason why `name` cannot name an endpoint, or null. */
export function endpointNameProblem(name: string): string | null {
  if (name === '') return 'an endpoint needs a name';
  if (!NAME.test(name)) return `"${name}" is not a valid endpoint name: use lower-case letters, digits and "-" (up to 63, not starting with "-")`;
  return null;
}

function requireName(name: string): void {
  const problem = endpointNameProblem(name);
  if (problem) throw new Error(problem);
}

function missing(name: string): Error {
  return new Error(`No endpoint named "${name}"`);
}

/** The endpoint after deploying `modelId` as a new version. */
export function withNewVersion(
  current: EndpointMeta | undefined,
  name: string,
  model: { id: string; name: string },
  options: { note?: string; promote?: boolean },
  now: number,
): { meta: EndpointMeta; version: EndpointVersion } {
  const base: EndpointMeta = current ?? { name, versions: [], live: null, previous: [], createdAt: now, updatedAt: now };
  const number = base.versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
  const version: EndpointVersion = { version: number, modelId: model.id, modelName: model.name, deployedAt: now, ...(options.note ? { note: options.note } : {}) };
  const meta: EndpointMeta = { ...base, versions: [...base.versions, version], updatedAt: now };
  return { meta: options.promote === false ? meta : promoted(meta, number, now), version };
}

/** The endpoint with `version` live; the one it replaces is remembered for rollback. */
export function promoted(meta: EndpointMeta, version: number, now: number): EndpointMeta {
  if (!meta.versions.some((v) => v.version === version)) throw new Error(`Endpoint "${meta.name}" has no version ${version}`);
  if (meta.live === version) return meta;
  const previous = meta.live === null ? meta.previous : [...meta.previous, meta.live];
  return { ...meta, live: version, previous, updatedAt: now };
}

/** The endpoint with its previously live version live again. */
export function rolledBack(meta: EndpointMeta, now: number): EndpointMeta {
  const previous = [...meta.previous];
  // Versions may have been live more than once; skip entries equal to the current one.
  while (previous.length > 0 && previous[previous.length - 1] === meta.live) previous.pop();
  const target = previous.pop();
  if (target === undefined) throw new Error(`Endpoint "${meta.name}" has no earlier live version to roll back to`);
  return { ...meta, live: target, previous, updatedAt: now };
}

/** The version answering requests, or undefined. */
export function liveVersion(meta: EndpointMeta): EndpointVersion | undefined {
  return meta.versions.find((v) => v.version === meta.live);
}

/** Looks up the model's name for a version entry. */
export type ModelNamer = (modelId: string) => Promise<string | undefined>;

export class DexieEndpointStore implements EndpointStore {
  constructor(
    private readonly db: PipelineStudioDb,
    private readonly keepPerEndpoint = PREDICTIONS_KEPT_PER_ENDPOINT,
  ) {}

  /** Every endpoint by name, and the entries that cannot be read (listed as damaged). */
  async scan(): Promise<RecordScan<EndpointMeta>> {
    const { records, damaged } = scanRecords('endpoints', 'name', await this.db.endpoints.toArray(), (raw) => checkWith(endpointMetaSchema, raw));
    return { records: records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), damaged };
  }

  async list(): Promise<EndpointMeta[]> {
    return (await this.scan()).records;
  }

  /** The endpoint; undefined when there is none or its entry is damaged (it then answers as missing). */
  async get(name: string): Promise<EndpointMeta | undefined> {
    const raw = await this.db.endpoints.get(name);
    const checked = raw && checkWith(endpointMetaSchema, raw);
    return checked && checked.ok ? checked.value : undefined;
  }

  /** The stored endpoint for a change: undefined when there is none; throws when it is damaged (never overwritten). */
  private async current(name: string): Promise<EndpointMeta | undefined> {
    const raw = await this.db.endpoints.get(name);
    if (!raw) return undefined;
    const checked = checkWith(endpointMetaSchema, raw);
    if (!checked.ok) throw new Error(`The stored endpoint "${name}" is damaged (${checked.problem}): export or delete it in the Endpoints tab first`);
    return checked.value;
  }

  async deploy(name: string, modelId: string, options: { note?: string; promote?: boolean } = {}): Promise<EndpointVersion> {
    requireName(name);
    const { db } = this;
    return guardQuota(`endpoint "${name}"`, () =>
      db.transaction('rw', db.endpoints, db.models, async () => {
        const model = await db.models.get(modelId);
        if (!model) throw new Error(`No stored model with id "${modelId}": save the model before deploying it`);
        const { meta, version } = withNewVersion(await this.current(name), name, { id: modelId, name: `${model.name} v${model.version}` }, options, Date.now());
        await db.endpoints.put(meta);
        return version;
      }),
    );
  }

  private async change(name: string, update: (meta: EndpointMeta) => EndpointMeta): Promise<EndpointMeta> {
    const { db } = this;
    return db.transaction('rw', db.endpoints, async () => {
      const meta = await this.current(name);
      if (!meta) throw missing(name);
      const next = update(meta);
      await db.endpoints.put(next);
      return next;
    });
  }

  promote(name: string, version: number): Promise<EndpointMeta> {
    return this.change(name, (meta) => promoted(meta, version, Date.now()));
  }

  rollback(name: string): Promise<EndpointMeta> {
    return this.change(name, (meta) => rolledBack(meta, Date.now()));
  }

  async delete(name: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.endpoints, db.predictions, async () => {
      await db.endpoints.delete(name);
      await db.predictions.where('endpoint').equals(name).delete();
    });
  }

  async appendPredictions(entries: LoggedPrediction[]): Promise<void> {
    if (entries.length === 0) return;
    const { db } = this;
    await guardQuota('prediction log', () =>
      db.transaction('rw', db.predictions, async () => {
        await db.predictions.bulkAdd(entries.map((e) => ({ ...e }) as PredictionRecord));
        for (const endpoint of new Set(entries.map((e) => e.endpoint))) {
          const older = await db.predictions.where('[endpoint+seq]').between([endpoint, -Infinity], [endpoint, Infinity]).reverse().offset(this.keepPerEndpoint).primaryKeys();
          if (older.length > 0) await db.predictions.bulkDelete(older);
        }
      }),
    );
  }

  async predictions(name: string, options: { since?: number; limit?: number } = {}): Promise<LoggedPrediction[]> {
    const since = options.since ?? -Infinity;
    const limit = options.limit ?? this.keepPerEndpoint;
    const records = await this.db.predictions.where('[endpoint+seq]').between([name, -Infinity], [name, Infinity]).reverse().filter((p) => p.time >= since).limit(limit).toArray();
    return records.reverse().map(({ seq: _seq, ...entry }) => entry);
  }

  async clearPredictions(name: string): Promise<void> {
    await this.db.predictions.where('endpoint').equals(name).delete();
  }
}

/** Same behaviour without persistence; `modelName` tells it which model ids exist (the model store). */
export class MemoryEndpointStore implements EndpointStore {
  private readonly endpoints = new Map<string, EndpointMeta>();
  private readonly logs = new Map<string, LoggedPrediction[]>();

  constructor(
    private readonly modelName: ModelNamer,
    private readonly keepPerEndpoint = PREDICTIONS_KEPT_PER_ENDPOINT,
  ) {}

  async list(): Promise<EndpointMeta[]> {
    return [...this.endpoints.values()].sort((a, b) => a.name.localeCompare(b.name)).map((m) => structuredClone(m));
  }

  async get(name: string): Promise<EndpointMeta | undefined> {
    const meta = this.endpoints.get(name);
    return meta && structuredClone(meta);
  }

  async deploy(name: string, modelId: string, options: { note?: string; promote?: boolean } = {}): Promise<EndpointVersion> {
    requireName(name);
    const modelName = await this.modelName(modelId);
    if (modelName === undefined) throw new Error(`No stored model with id "${modelId}": save the model before deploying it`);
    const { meta, version } = withNewVersion(this.endpoints.get(name), name, { id: modelId, name: modelName }, options, Date.now());
    this.endpoints.set(name, meta);
    return structuredClone(version);
  }

  private change(name: string, update: (meta: EndpointMeta) => EndpointMeta): EndpointMeta {
    const meta = this.endpoints.get(name);
    if (!meta) throw missing(name);
    const next = update(meta);
    this.endpoints.set(name, next);
    return structuredClone(next);
  }

  async promote(name: string, version: number): Promise<EndpointMeta> {
    return this.change(name, (meta) => promoted(meta, version, Date.now()));
  }

  async rollback(name: string): Promise<EndpointMeta> {
    return this.change(name, (meta) => rolledBack(meta, Date.now()));
  }

  async delete(name: string): Promise<void> {
    this.endpoints.delete(name);
    this.logs.delete(name);
  }

  async appendPredictions(entries: LoggedPrediction[]): Promise<void> {
    for (const entry of entries) {
      let log = this.logs.get(entry.endpoint);
      if (!log) this.logs.set(entry.endpoint, (log = []));
      log.push(structuredClone(entry));
      if (log.length > this.keepPerEndpoint) log.splice(0, log.length - this.keepPerEndpoint);
    }
  }

  async predictions(name: string, options: { since?: number; limit?: number } = {}): Promise<LoggedPrediction[]> {
    const since = options.since ?? -Infinity;
    const matching = (this.logs.get(name) ?? []).filter((p) => p.time >= since);
    return structuredClone(matching.slice(Math.max(0, matching.length - (options.limit ?? this.keepPerEndpoint))));
  }

  async clearPredictions(name: string): Promise<void> {
    this.logs.delete(name);
  }
}

/** Names models by their entry in a model store ("name vN"). */
export function modelNamer(models: { list(): Promise<{ id: string; name: string; version: number }[]> }): ModelNamer {
  return async (modelId) => {
    const meta = (await models.list()).find((m) => m.id === modelId);
    return meta && `${meta.name} v${meta.version}`;
  };
}
