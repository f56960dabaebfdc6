/**
 * The one place the editor reaches the engine worker client and the browser stores.
 * Both load lazily (dynamic import) so the first paint does not wait for them and the
 * worker (with tfjs) starts only when needed.
 */
import type { EngineClient } from '../runtime/protocol';
import type * as StorageApi from '../storage/index';

type ClientModule = { getEngineClient(): EngineClient };
type StorageModule = typeof StorageApi;

// import.meta.glob keeps the import lazy and typed, and lets this module load where the
// worker client is absent (unit tests in Node).
const clientModules = import.meta.glob<ClientModule>('../runtime/client.ts');
const storageModules = import.meta.glob<StorageModule>('../storage/index.ts');

let clientPromise: Promise<EngineClient> | null = null;

export function getEngine(): Promise<EngineClient> {
  clientPromise ??= (async () => {
    const load = clientModules['../runtime/client.ts'];
    if (!load) throw new Error('The engine client (src/runtime/client.ts) is not part of this build');
    return (await load()).getEngineClient();
  })();
  return clientPromise;
}

let storagePromise: Promise<ReturnType<StorageModule['getStores']>> | null = null;

export function getStores(): Promise<ReturnType<StorageModule['getStores']>> {
  storagePromise ??= (async () => {
    const load = storageModules['../storage/index.ts'];
    if (!load) throw new Error('Browser storage (src/storage) is not part of this build');
    return (await load()).getStores();
  })();
  return storagePromise;
}

/** A damaged stored record as JSON text (for "export raw"). */
export async function rawRecordText(raw: unknown): Promise<string> {
  const load = storageModules['../storage/index.ts'];
  if (!load) throw new Error('Browser storage (src/storage) is not part of this build');
  return (await load()).rawRecordText(raw);
}

export function isRevisionConflict(error: unknown): boolean {
  return error instanceof Error && error.name === 'RevisionConflictError';
}

/** A stored model's pipeline half (raw input schema, target, metrics), without its weights. */
export async function modelPipeline(id: string) {
  return (await getStores()).models.pipeline(id);
}
