/**
 * A pool of tune trial workers behind the engine's TrialRunner. Each worker hosts the trial
 * code of src/nodes/tune/trials.ts (TrialWorkerApi) over comlink: Web Workers spawned by
 * the engine worker in the browser (trial.worker.ts), worker threads in the CLI
 * (trial-pool-node.ts). Workers start on the first search and stay for the next one (each
 * has loaded tfjs and its backend by then); a search gives each of them its own copy of the
 * prepared rows, transferred. Cancel asks every worker to stop within one batch and
 * terminates the ones that do not answer promptly; a worker that dies fails only the trial it
 * was running, and is replaced at the next search.
 */
import * as Comlink from 'comlink';
import { CancelledError } from '../ml/train';
import { createTrialWorker, transferableCopy, type TrialEpoch, type TrialOutcome, type TrialWorkerApi, type TuneTrialRunner } from '../nodes/tune/trials';

export interface TrialWorkerHandle {
  api: Comlink.Remote<TrialWorkerApi>;
  /** Settles (with the reason) when the worker dies or fails to load. */
  exited: Promise<Error>;
  terminate(): void;
}

export interface TrialPoolOptions {
  /** Workers at most (trials at once). */
  size: number;
  spawn(): TrialWorkerHandle;
  /** Backends whose trials the pool runs (CPU-side ones: parallel trials on one GPU gain nothing). */
  backends?: string[];
  /** A cancelled worker still busy after this is terminated. */
  cancelGraceMs?: number;
  /** Idle workers are terminated this long after a search (their tfjs holds memory; 0: at once); undefined keeps them. */
  idleMs?: number;
}

interface PoolWorker {
  handle: TrialWorkerHandle;
  backend: string | null;
  dead: boolean;
  busy: boolean;
  /** The search whose rows it holds: an older search's cancel or close leaves it alone. */
  search: object | null;
  /** Settles when the pool terminates it (a browser Worker fires no event on terminate()). */
  stopped: Promise<Error>;
  stop(reason: Error): void;
}

export interface TrialPool extends TuneTrialRunner {
  /** Tensors each live worker holds once its rows are freed (0 everywhere when nothing leaked). */
  tensorsLeft(): Promise<number[]>;
  /** Terminates every worker. */
  shutdown(): void;
}

/** How many workers the machine can give trials: its cores, capped by its memory at `perWorkerMb` each. */
export function poolSize(cores: number | undefined, memoryGb: number | undefined, perWorkerMb = 256, max = 8): number {
  let size = Math.max(1, Math.floor(cores ?? 1));
  // Leave half the memory to the rest of the app and the system.
  if (memoryGb !== undefined && memoryGb > 0) size = Math.min(size, Math.max(1, Math.floor((memoryGb * 1024) / 2 / perWorkerMb)));
  return Math.min(size, max);
}

/**
 * The worker side: the trial code of the tune node plus `init`, which loads tfjs on the
 * engine's backend with the platform's loader. Each progress callback proxy is released
 * when its trial ends (comlink closes its port then).
 */
export function trialWorkerApi(init: (backend: string) => Promise<void>): TrialWorkerApi {
  const worker = createTrialWorker();
  return {
    ...worker,
    init,
    async run(job, onEpoch) {
      try {
        return await worker.run(job, onEpoch && ((event) => void Promise.resolve(onEpoch(event)).catch(() => undefined)));
      } finally {
        (onEpoch as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },
  };
}

export function createTrialPool(options: TrialPoolOptions): TrialPool {
  const workers: PoolWorker[] = [];
  const grace = options.cancelGraceMs ?? 2000;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Searches opened and not closed: the pool idles (and may end its workers) only at none. */
  let openSearches = 0;
  const searchEnded = () => {
    openSearches--;
    if (openSearches > 0) return;
    if (options.idleMs === 0) pool.shutdown();
    else if (options.idleMs !== undefined) idleTimer = setTimeout(() => pool.shutdown(), options.idleMs);
  };
  /** Unloads what `search` loaded into these workers (one that cannot answer is terminated). */
  const unloadSearch = async (members: PoolWorker[], search: object) => {
    const holding = members.filter((w) => !w.dead && !w.busy && w.search === search);
    for (const worker of holding) worker.search = null;
    await Promise.all(holding.map((w) => call(w, w.handle.api.unload()).catch(() => kill(w))));
  };

  const kill = (worker: PoolWorker) => {
    if (worker.dead) return;
    worker.dead = true;
    worker.handle.terminate();
    worker.stop(new Error('it was terminated'));
    workers.splice(workers.indexOf(worker), 1);
  };
  const spawn = (): PoolWorker => {
    let stop: (reason: Error) => void = () => undefined;
    const stopped = new Promise<Error>((resolve) => (stop = resolve));
    const worker: PoolWorker = { handle: options.spawn(), backend: null, dead: false, busy: false, search: null, stopped, stop };
    void worker.handle.exited.then(() => kill(worker));
    workers.push(worker);
    return worker;
  };
  /** A call to a worker, failing when the worker dies or is terminated instead of waiting for an answer that never comes. */
  const call = <T>(worker: PoolWorker, promise: Promise<T>): Promise<T> =>
    Promise.race([
      promise,
      Promise.race([worker.handle.exited, worker.stopped]).then((error) => {
        throw new Error(`the trial worker stopped: ${error.message}`);
      }),
    ]);

  const pool: TrialPool = {
    size: options.size,
    backends: options.backends,
    async open(arrays, { backend, signal, onProgress }) {
      if (options.backends && !options.backends.includes(backend)) throw new Error(`trial workers do not run on ${backend}`);
      if (signal.aborted) throw new CancelledError();
      clearTimeout(idleTimer);
      // A worker still busy with a cancelled search's trial stops on its own or at the end of that
      // search's grace time: the new search starts on idle workers (spawning what is missing),
      // not behind it, nor failing when the grace timer terminates it mid-load.
      const idle = () => workers.filter((w) => !w.busy && !w.dead);
      while (idle().length < options.size) spawn();
      const members = idle().slice(0, options.size);
      const search = {};
      const progress = onProgress ? Comlink.proxy((event: TrialEpoch) => onProgress(event)) : undefined;
      openSearches++;
      try {
        await Promise.all(
          members.map(async (worker) => {
            if (worker.backend !== backend) {
              await call(worker, worker.handle.api.init(backend));
              worker.backend = backend;
            }
            worker.search = search;
            const copy = transferableCopy(arrays);
            await call(worker, worker.handle.api.load(Comlink.transfer(copy.arrays, copy.transfer)));
          }),
        );
      } catch (error) {
        // No search follows (the caller runs its trials elsewhere): free the rows loaded so far.
        await unloadSearch(members, search);
        searchEnded();
        throw error;
      }

      // After a cancel no trial starts: a worker freed then may already serve the next search.
      const free = [...members];
      const waiting: { resolve(worker: PoolWorker): void; reject(error: Error): void }[] = [];
      const release = (worker: PoolWorker) => {
        worker.busy = false;
        if (signal.aborted) return;
        if (worker.dead) {
          // The last one gone: nothing will ever come to those waiting.
          if (!members.some((m) => !m.dead)) for (const waiter of waiting.splice(0)) waiter.reject(new Error('every trial worker stopped'));
          return;
        }
        const next = waiting.shift();
        if (next) next.resolve(worker);
        else free.push(worker);
      };
      const acquire = (): Promise<PoolWorker> => {
        if (signal.aborted) return Promise.reject(new CancelledError());
        const worker = free.shift();
        if (worker) return Promise.resolve(worker);
        if (!members.some((m) => !m.dead)) return Promise.reject(new Error('every trial worker stopped'));
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      };
      const onAbort = () => {
        for (const waiter of waiting.splice(0)) waiter.reject(new CancelledError());
        for (const worker of members) if (!worker.dead && worker.busy && worker.search === search) void worker.handle.api.cancel().catch(() => undefined);
        // One still running this search's trial after the grace time is terminated (its tensors
        // go with it); one that stopped and went on to the next search is not this search's.
        setTimeout(() => {
          for (const worker of members) if (worker.busy && worker.search === search) kill(worker);
        }, grace);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      let closed = false;

      return {
        async run(job): Promise<TrialOutcome> {
          const worker = await acquire();
          worker.busy = true;
          try {
            if (signal.aborted) throw new CancelledError();
            return await call(worker, worker.handle.api.run(job, progress));
          } catch (error) {
            if (signal.aborted) throw new CancelledError();
            throw error;
          } finally {
            release(worker);
          }
        },
        async close() {
          if (closed) return;
          closed = true;
          signal.removeEventListener('abort', onAbort);
          // Only the rows this search loaded: a worker the next search took holds that one's.
          await unloadSearch(members, search);
          searchEnded();
        },
      };
    },
    async tensorsLeft() {
      return Promise.all(workers.filter((w) => !w.busy).map((w) => call(w, w.handle.api.unload())));
    },
    shutdown() {
      clearTimeout(idleTimer);
      for (const worker of [...workers]) kill(worker);
    },
  };
  return pool;
}
