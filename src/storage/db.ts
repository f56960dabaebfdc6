/**
 * The one IndexedDB database of the app (Dexie). Every table is declared in one versioned
 * schema; a later version adds `this.version(n).stores({...}).upgrade(...)` below, never edits an earlier one.
 * Kept free of tfjs values so the main thread (graph list, model list) can open it cheaply.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { RunRecord } from '../engine/run-record';
import type { EndpointMeta, LoggedPrediction, StoredDatasetMeta, StoredModelMeta } from '../engine/services';
import { legacyGraphFile, type GraphRecord, type ModelPipelineRecord } from './records';

export const DATABASE_NAME = 'pipeline-studio';

export type { GraphRecord, ModelPipelineRecord } from './records';

/** One column as stored: numbers/codes as a raw typed-array buffer, text as a plain list. */
export type StoredColumn =
  | { name: string; dtype: 'number' | 'boolean' | 'datetime'; float64: ArrayBuffer }
  | { name: string; dtype: 'category'; int32: ArrayBuffer; categories: string[] }
  | { name: string; dtype: 'text'; text: (string | null)[] };

/** A dataset's columns in one record: how datasets were stored before v5 (still read). */
export interface DatasetDataRecord {
  id: string;
  rowCount: number;
  columns: StoredColumn[];
}

/**
 * Rows [startRow, …) of one column of a dataset (v5): a dataset is stored as many such parts,
 * written while its file is parsed, so no step holds a serialized copy of the whole table.
 */
export type DatasetPartRecord = { datasetId: string; column: number; startRow: number } & (
  | { float64: ArrayBuffer }
  | { int32: ArrayBuffer }
  | { text: (string | null)[] }
);

/** A dataset whose parts are being written (removed when it is listed or dropped); an old one was abandoned. */
export interface DatasetWriteRecord {
  id: string;
  startedAt: number;
}

/** The tfjs half of a model (what a tfjs IO handler saves and loads). */
export interface ModelNetworkRecord {
  id: string;
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
  savedAt: number;
}


/** Run history records: one type, defined with the code that builds them (engine/run-record). */
export type { RunNodeRecord, RunRecord } from '../engine/run-record';

/**
 * What a node showed after its last successful run in a graph: status, summary, the output
 * views and the columns of its table/dataset outputs, under the cache key it ran with. After
 * a reload it is shown again ("from last run") while the node's key is still that key.
 * `views` and `columns` are the runtime's OutputView/ColumnInfo shapes (storage sits below it).
 */
export interface NodeOutputRecord {
  graphId: string;
  nodeId: string;
  key: string;
  runId: string;
  status: 'done' | 'cached';
  summary?: { text: string; metrics?: Record<string, number> };
  views: unknown[];
  columns: Record<string, { name: string; dtype: string; role?: string }[]>;
  finishedAt: number;
}

/** A logged prediction with its insertion number (keeps the ring's order stable within one millisecond). */
export type PredictionRecord = LoggedPrediction & { seq?: number };

export class PipelineStudioDb extends Dexie {
  graphs!: EntityTable<GraphRecord, 'id'>;
  datasets!: EntityTable<StoredDatasetMeta, 'id'>;
  datasetData!: EntityTable<DatasetDataRecord, 'id'>;
  datasetParts!: Dexie.Table<DatasetPartRecord, [string, number, number]>;
  datasetWrites!: EntityTable<DatasetWriteRecord, 'id'>;
  models!: EntityTable<StoredModelMeta, 'id'>;
  modelPipelines!: EntityTable<ModelPipelineRecord, 'id'>;
  modelNetworks!: EntityTable<ModelNetworkRecord, 'id'>;
  runs!: EntityTable<RunRecord, 'id'>;
  endpoints!: EntityTable<EndpointMeta, 'name'>;
  predictions!: EntityTable<PredictionRecord, 'seq'>;
  nodeOutputs!: Dexie.Table<NodeOutputRecord, [string, string]>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2);
    this.version(3).stores(SCHEMA_V3);
    // v4: a graph is stored as its graph-file document (`file`, with format and version) and read
    // through the same parse → migrate → validate path as an imported file. A row that cannot be
    // converted is left as it is: it is then listed as damaged, never dropped.
    this.version(4)
      .stores({})
      .upgrade((tx) =>
        tx
          .table('graphs')
          .toCollection()
          .modify((row: Record<string, unknown>) => {
            if (row.file !== undefined || row.graph === undefined) return;
            try {
              row.file = legacyGraphFile(row.graph);
              delete row.graph;
            } catch {
              // Kept in the old shape; the graph list reports why it cannot be read.
            }
          }),
      );
    // v5: datasets stored in parts while they are parsed (datasetData stays for older entries).
    this.version(5).stores(SCHEMA_V5);
  }
}

/** Metadata and bulk data live in separate tables so listing never loads columns or weights. */
export const SCHEMA_V1 = {
  graphs: 'id, name, updatedAt',
  datasets: 'id, &hash, name, createdAt',
  datasetData: 'id',
  models: 'id, name, [name+version], createdAt',
  modelPipelines: 'id',
  modelNetworks: 'id',
  runs: 'id, graphId, startedAt, [graphId+startedAt]',
};

/** v2: deployed endpoints and their prediction log (a ring per endpoint, ordered by seq). */
export const SCHEMA_V2 = {
  endpoints: 'name, updatedAt',
  predictions: '++seq, endpoint, [endpoint+seq], [endpoint+time]',
};

/** v3: each node's last shown result per graph, restored after a reload. */
export const SCHEMA_V3 = {
  nodeOutputs: '[graphId+nodeId], graphId',
};

/** v5: dataset parts (one column's row range each) and the writes still in progress. */
export const SCHEMA_V5 = {
  datasetParts: '[datasetId+column+startRow]',
  datasetWrites: 'id, startedAt',
};

let shared: PipelineStudioDb | null = null;

/** The app's database, opened lazily once per thread. */
export function getDb(): PipelineStudioDb {
  shared ??= new PipelineStudioDb();
  return shared;
}
