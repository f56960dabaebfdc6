/**
 * The one place the editor reaches the engine worker client, loaded lazily (dynamic import)
 * so the first paint does not wait for it and the worker (with tfjs) starts only when needed.
 * The browser stores are in ./stores.
 */
import type { EngineClient } from '../runtime/protocol';

type ClientModule = { getEngineClient(): EngineClient };

// import.meta.glob keeps the import lazy and typed, and lets this module load where the
// worker client is absent (unit tests in Node).
const clientModules = import.meta.glob<ClientModule>('../runtime/client.ts');

let clientPromise: Promise<EngineClient> | null = null;

export function getEngine(): Promise<EngineClient> {
  clientPromise ??= (async () => {
    const load = clientModules['../runtime/client.ts'];
    if (!load) throw new Error('The engine client (src/runtime/client.ts) is not part of this build');
    return (await load()).getEngineClient();
  })();
  return clientPromise;
}
