/** Storage: the Dexie database and the stores built on it (plus in-memory ones for the CLI/tests). */
export { DATABASE_NAME, PipelineStudioDb, getDb } from './db';
export type { GraphRecord, NodeOutputRecord, PredictionRecord, RunRecord, RunNodeRecord } from './db';
export { DexieDatasetStore } from './datasets';
export { DexieModelStore } from './models';
export { dexieModelHandler } from './modelHandler';
export { GraphStore, GRAPHS_CHANNEL } from './graphs';
export type { GraphChange, GraphListItem } from './graphs';
export { RunHistoryStore, RUNS_KEPT_PER_GRAPH, type RunPatch } from './runs';
export { NodeOutputStore } from './outputs';
export { MemoryDatasetStore, MemoryModelStore } from './memory';
export { DexieEndpointStore, MemoryEndpointStore, PREDICTIONS_KEPT_PER_ENDPOINT, endpointNameProblem, liveVersion, modelNamer } from './endpoints';
export { StorageFullError, RevisionConflictError, isQuotaError } from './errors';
export { rawRecordText } from './records';
export type { DamagedRecord, RecordScan, RecordTable } from './records';

import { DexieDatasetStore } from './datasets';
import { getDb } from './db';
import { GraphStore } from './graphs';
import { DexieEndpointStore } from './endpoints';
import { DexieModelStore } from './models';
import { RunHistoryStore } from './runs';

let stores: { graphs: GraphStore; datasets: DexieDatasetStore; models: DexieModelStore; runs: RunHistoryStore; endpoints: DexieEndpointStore } | null = null;

/** The app's stores over the shared database (one set per thread). */
export function getStores() {
  if (!stores) {
    const db = getDb();
    stores = { graphs: new GraphStore(db), datasets: new DexieDatasetStore(db), models: new DexieModelStore(db), runs: new RunHistoryStore(db), endpoints: new DexieEndpointStore(db) };
  }
  return stores;
}
