/**
 * What a record read from IndexedDB must look like, one zod schema per table. Storage is
 * written by this app but read back after upgrades, by other tabs, and after whatever a
 * browser, an extension or a user did to it: every read checks the record, a bad one is
 * skipped and reported as damaged (so it can be exported raw or deleted), and the rest
 * keeps working. Schemas are loose objects: fields added later pass through unchanged.
 */
import { z } from '../engine/zod';
import type { Graph } from '../engine/graph';
import { formatPath, graphFileDocument, migrateGraphDocument, parseGraphDocument } from '../engine/graph-file';
import type { GraphFileV1 } from '../engine/graph-file-schema';
import { errorMessage } from '../engine/errors';
import type { EndpointMeta, StoredDatasetMeta, StoredModelMeta } from '../engine/services';
import type { ModelArtifact } from '../data/types';

/** The pipeline half of a model: everything in ModelArtifact except the network. */
export type ModelPipelineRecord = { id: string } & Omit<ModelArtifact, 'modelTopology' | 'weightSpecs' | 'weightData'>;

/** The tables whose records the UI lists (and can list as damaged). */
export type RecordTable = 'graphs' | 'datasets' | 'models' | 'endpoints' | 'runs';

/** A stored record that does not have the shape this app reads. */
export interface DamagedRecord {
  table: RecordTable;
  /** Its primary key (id, or name for endpoints), as stored. */
  key: string;
  /** What is wrong, e.g. `columns[0].dtype: expected one of …`. */
  problem: string;
  /** The record exactly as read, for "export raw". */
  raw: unknown;
}

/** A table read in full: the records that passed their check and the ones that did not. */
export interface RecordScan<T> {
  records: T[];
  damaged: DamagedRecord[];
}

export type RecordCheck<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Located zod issues as one line: `columns[0].dtype: …; bytes: …` (first three). */
function describeIssues(error: z.core.$ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = formatPath(issue.path);
    const message = issue.message.replace(/^Invalid input: /, '').replace(/^expected (.+), received undefined$/, 'missing (expected $1)');
    return where ? `${where}: ${message}` : message;
  });
  return lines.length > 3 ? `${lines.slice(0, 3).join('; ')}; and ${lines.length - 3} more` : lines.join('; ');
}

export function checkWith<T>(schema: z.ZodMiniType<T>, raw: unknown): RecordCheck<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: describeIssues(result.error) };
}

/** Splits raw records into checked ones and damaged ones. */
export function scanRecords<T>(table: RecordTable, keyPath: string, raws: readonly unknown[], check: (raw: unknown) => RecordCheck<T>): RecordScan<T> {
  const records: T[] = [];
  const damaged: DamagedRecord[] = [];
  for (const raw of raws) {
    const result = check(raw);
    if (result.ok) records.push(result.value);
    else damaged.push({ table, key: keyOf(raw, keyPath), problem: result.problem, raw });
  }
  return { records, damaged };
}

function keyOf(raw: unknown, keyPath: string): string {
  const key = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[keyPath] : undefined;
  return typeof key === 'string' ? key : String(key);
}

const finite = z.number().check(z.refine(Number.isFinite, 'expected a finite number'));
const count = z.int().check(z.minimum(0));
const positiveInt = z.int().check(z.minimum(1));
const nonEmpty = z.string().check(z.minLength(1));
const dtype = z.enum(['number', 'category', 'boolean', 'text', 'datetime']);
const columnSchema = z.looseObject({ name: z.string(), dtype, categories: z.optional(z.array(z.string())) });

export const datasetMetaSchema: z.ZodMiniType<StoredDatasetMeta> = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  hash: nonEmpty,
  rowCount: count,
  columns: z.array(columnSchema),
  bytes: z.number().check(z.minimum(0)),
  createdAt: finite,
});

const targetSchema = z.looseObject({
  name: z.string(),
  task: z.enum(['classification', 'regression']),
  classes: z.optional(z.array(z.string())),
});

export const modelMetaSchema: z.ZodMiniType<StoredModelMeta> = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  version: positiveInt,
  createdAt: finite,
  metrics: z.optional(z.record(z.string(), z.number())),
  target: targetSchema,
  lineage: z.looseObject({ createdAt: finite }),
  trainParams: z.record(z.string(), z.unknown()),
});

/** The parts of a model's pipeline half the UI reads before loading the network. */
export const modelPipelineSchema = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  rawSchema: z.array(columnSchema),
  featureNames: z.array(z.string()),
  target: targetSchema,
  transforms: z.array(z.unknown()),
}) as unknown as z.ZodMiniType<ModelPipelineRecord>;

const endpointVersionSchema = z.looseObject({
  version: positiveInt,
  modelId: nonEmpty,
  modelName: z.string(),
  deployedAt: finite,
  note: z.optional(z.string()),
});

export const endpointMetaSchema: z.ZodMiniType<EndpointMeta> = z.looseObject({
  name: nonEmpty,
  versions: z.array(endpointVersionSchema),
  live: z.nullable(positiveInt),
  previous: z.array(positiveInt),
  createdAt: finite,
  updatedAt: finite,
});

/**
 * A stored graph: the graph-file document (format + version, the same document an export
 * writes) plus the bookkeeping the list and the conflict check need.
 */
export interface GraphRecord {
  id: string;
  name: string;
  updatedAt: number;
  /** Incremented on every write; a writer holding an older revision gets a conflict. */
  revision: number;
  file: GraphFileV1;
}

/** Records written before graphs were stored as graph files kept the editor's Graph as is. */
const legacyGraphSchema = z.object({
  id: nonEmpty,
  name: z.string(),
  seed: z.number(),
  nodes: z.array(
    z.looseObject({
      id: z.string(),
      type: z.string(),
      params: z.record(z.string(), z.unknown()),
      position: z.object({ x: z.number(), y: z.number() }),
      label: z.optional(z.string()),
      version: z.optional(z.number()),
      placeholder: z.optional(z.looseObject({ originalType: z.string(), originalVersion: z.optional(z.number()), reason: z.string() })),
    }),
  ),
  edges: z.array(z.object({ id: z.string(), from: z.object({ node: z.string(), port: z.string() }), to: z.object({ node: z.string(), port: z.string() }) })),
  viewport: z.optional(z.object({ x: z.number(), y: z.number(), zoom: z.number() })),
});

/** The graph-file document for a record in the old shape (`graph: Graph`); throws when it is not one. */
export function legacyGraphFile(graph: unknown): GraphFileV1 {
  const checked = checkWith(legacyGraphSchema, graph);
  if (!checked.ok) throw new Error(checked.problem);
  return graphFileDocument(checked.value as Graph, undefined, { keepOrder: true });
}

const graphEnvelopeSchema = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  updatedAt: finite,
  revision: count,
});

/**
 * Checks a graphs row: the envelope, then the document through the graph-file reader
 * (format, version and migrations, schema, duplicate ids). A row in the old shape is
 * read through the same reader after conversion.
 */
export function checkGraphRecord(raw: unknown): RecordCheck<GraphRecord> {
  const envelope = checkWith(graphEnvelopeSchema, raw);
  if (!envelope.ok) return envelope;
  const row = raw as Record<string, unknown>;
  let doc: unknown = row.file;
  if (doc === undefined) {
    if (row.graph === undefined) return { ok: false, problem: 'file: missing (no graph document)' };
    try {
      doc = legacyGraphFile(row.graph);
    } catch (error) {
      return { ok: false, problem: `graph (old record shape): ${errorMessage(error)}` };
    }
  }
  let file: GraphFileV1;
  try {
    file = migrateGraphDocument(doc);
    parseGraphDocument(file);
  } catch (error) {
    return { ok: false, problem: `file: ${errorMessage(error).replace(/\n/g, '; ')}` };
  }
  const { graph: _legacy, ...rest } = envelope.value as Record<string, unknown>;
  return { ok: true, value: { ...(rest as Omit<GraphRecord, 'file'>), file } };
}

/** A damaged record as JSON text (binary fields as byte lists), for "export raw". */
export function rawRecordText(raw: unknown): string {
  return `${JSON.stringify(
    raw,
    (_key, value: unknown) => {
      if (value instanceof ArrayBuffer) return { arrayBuffer: [...new Uint8Array(value)] };
      if (ArrayBuffer.isView(value)) return { [value.constructor.name]: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
      return value;
    },
    2,
  )}\n`;
}
