/**
 * The browser stores (IndexedDB: graphs, datasets, models, runs, endpoints), loaded lazily
 * (dynamic import) so the first paint does not wait for Dexie.
 */
import type * as StorageApi from '../storage/index';

type StorageModule = typeof StorageApi;

// import.meta.glob keeps the import lazy and typed, and lets this module load where storage
// is absent (unit tests in Node).
const storageModules = import.meta.glob<StorageModule>('../storage/index.ts');

function loadStorage(): Promise<StorageModule> {
  const load = storageModules['../storage/index.ts'];
  if (!load) return Promise.reject(new Error('Browser storage (src/storage) is not part of this build'));
  return load();
}

let storagePromise: Promise<ReturnType<StorageModule['getStores']>> | null = null;

export function getStores(): Promise<ReturnType<StorageModule['getStores']>> {
  storagePromise ??= (async () => (await loadStorage()).getStores())();
  return storagePromise;
}

/** A damaged stored record as JSON text (for "export raw"). */
export async function rawRecordText(raw: unknown): Promise<string> {
  return (await loadStorage()).rawRecordText(raw);
}

export function isRevisionConflict(error: unknown): boolean {
  return error instanceof Error && error.name === 'RevisionConflictError';
}

/** A stored model's pipeline half (raw input schema, target, metrics), without its weights. */
export async function modelPipeline(id: string) {
  return (await getStores()).models.pipeline(id);
}
