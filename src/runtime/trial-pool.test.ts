/** The pool's bookkeeping with fake workers: what a search gets right after a cancelled one. */
import { describe, expect, it } from 'vitest';
import type { TrainingArrays } from '../ml/train';
import type { TrialJob, TrialOutcome } from '../nodes/tune/trials';
import { createTrialPool, type TrialWorkerHandle } from './trial-pool';

/** A worker whose trials run until it is terminated (cancel() is ignored: a stuck trial) and whose load takes 200 ms. */
function stuckWorker(spawned: { terminated: boolean }[]): TrialWorkerHandle {
  const state = { terminated: false };
  spawned.push(state);
  let exit: (error: Error) => void = () => undefined;
  const exited = new Promise<Error>((resolve) => (exit = resolve));
  const api = {
    init: async () => undefined,
    load: () => new Promise<void>((resolve) => setTimeout(resolve, 200)),
    run: () => new Promise<TrialOutcome>(() => undefined),
    cancel: async () => undefined,
    unload: async () => 0,
  };
  return {
    api: api as unknown as TrialWorkerHandle['api'],
    exited,
    terminate() {
      state.terminated = true;
      exit(new Error('terminated'));
    },
  };
}

/**
 * A worker as the browser gives it: terminate() fires no event (`exited` never settles then).
 * Its trial ends when cancelled (`stops`), or runs until terminated (`stuck`); `finish()` ends
 * the running trial well. Counts unloads.
 */
function browserLikeWorker(kind: 'stops' | 'stuck', spawned: { kind: string; terminated: boolean; unloads: number; finish(): void }[]): TrialWorkerHandle {
  let end: { resolve(outcome: TrialOutcome): void; reject(error: Error): void } | null = null;
  const state = { kind, terminated: false, unloads: 0, finish: () => end?.resolve({ score: 1 } as unknown as TrialOutcome) };
  spawned.push(state);
  const api = {
    init: async () => undefined,
    load: async () => undefined,
    run: () => new Promise<TrialOutcome>((resolve, reject) => (end = { resolve, reject })),
    cancel: async () => {
      if (kind === 'stops') end?.reject(new Error('cancelled'));
    },
    unload: async () => (state.unloads++, 0),
  };
  return {
    api: api as unknown as TrialWorkerHandle['api'],
    exited: new Promise<Error>(() => undefined),
    terminate: () => void (state.terminated = true),
  };
}

/** A worker the test drives: `crash()` ends it as a dying worker does, `finish()` ends its trial well; its load can fail. */
function drivenWorker(spawned: { crash(): void; finish(): void; terminated: boolean; unloads: number }[], loadFails = false): TrialWorkerHandle {
  let end: ((outcome: TrialOutcome) => void) | null = null;
  let exit: (error: Error) => void = () => undefined;
  const state = {
    terminated: false,
    unloads: 0,
    crash: () => exit(new Error('crashed')),
    finish: () => end?.({ score: 1 } as unknown as TrialOutcome),
  };
  spawned.push(state);
  const api = {
    init: async () => undefined,
    load: async () => {
      if (loadFails) throw new Error('out of memory');
    },
    run: () => new Promise<TrialOutcome>((resolve) => (end = resolve)),
    cancel: async () => undefined,
    unload: async () => (state.unloads++, 0),
  };
  return {
    api: api as unknown as TrialWorkerHandle['api'],
    exited: new Promise<Error>((resolve) => (exit = resolve)),
    terminate: () => void (state.terminated = true),
  };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

const arrays = { trainX: new Float32Array(0), trainY: new Float32Array(0) } as unknown as TrainingArrays;
const job = {} as TrialJob;

describe('trial pool', () => {
  it('a search started right after a cancel opens on fresh workers, not on the ones still stopping', async () => {
    const spawned: { terminated: boolean }[] = [];
    const pool = createTrialPool({ size: 2, spawn: () => stuckWorker(spawned), cancelGraceMs: 50 });
    const first = new AbortController();
    const batch = await pool.open(arrays, { backend: 'wasm', signal: first.signal });
    const trials = [batch.run(job), batch.run(job)].map((trial) => trial.catch((error: Error) => error.message));
    await new Promise((resolve) => setTimeout(resolve, 0));
    first.abort();

    // The stuck workers are still busy; the grace timer terminates them while the next search
    // loads its rows. That search must open, on two new workers.
    const second = await pool.open(arrays, { backend: 'wasm', signal: new AbortController().signal });
    expect(await Promise.all(trials)).toEqual([expect.stringMatching(/cancelled/), expect.stringMatching(/cancelled/)]);
    expect(spawned).toHaveLength(4);
    expect(spawned.map((w) => w.terminated)).toEqual([true, true, false, false]);
    await second.close();
    pool.shutdown();
  });

  it('a trial on a worker terminated after the grace time fails, even where terminating fires no event (the browser)', async () => {
    const spawned: { kind: string; terminated: boolean; unloads: number; finish(): void }[] = [];
    const pool = createTrialPool({ size: 1, spawn: () => browserLikeWorker('stuck', spawned), cancelGraceMs: 20 });
    const search = new AbortController();
    const batch = await pool.open(arrays, { backend: 'wasm', signal: search.signal });
    const trial = batch.run(job).catch((error: Error) => error.message);
    await tick();
    search.abort();
    // It used to wait forever for an answer from the terminated worker.
    expect(await trial).toMatch(/cancelled/);
    expect(spawned[0].terminated).toBe(true);
    pool.shutdown();
  });

  it('a cancelled search’s grace timer and close leave alone the worker the next search took', async () => {
    const spawned: { kind: string; terminated: boolean; unloads: number; finish(): void }[] = [];
    // The first worker stops when cancelled; the second never does.
    const kinds: ('stops' | 'stuck')[] = ['stops', 'stuck', 'stops'];
    const pool = createTrialPool({ size: 2, spawn: () => browserLikeWorker(kinds[spawned.length], spawned), cancelGraceMs: 40 });
    const first = new AbortController();
    const old = await pool.open(arrays, { backend: 'wasm', signal: first.signal });
    const oldTrials = [old.run(job), old.run(job), old.run(job)].map((trial) => trial.catch((error: Error) => error.message));
    await tick();
    first.abort();
    await tick();

    // The next search, inside the old one's grace time: the worker that stopped and a new one.
    const next = await pool.open(arrays, { backend: 'wasm', signal: new AbortController().signal });
    const trial = next.run(job);
    await tick();
    await tick(80);
    // The grace timer terminated the stuck worker only, not the one running the next search's trial…
    expect(spawned.map((w) => w.terminated)).toEqual([false, true, false]);
    expect(await Promise.all(oldTrials)).toEqual([expect.stringMatching(/cancelled/), expect.stringMatching(/cancelled/), expect.stringMatching(/cancelled/)]);
    // …and the old search's close does not unload the rows the next search loaded into it.
    await old.close();
    expect(spawned[0].unloads).toBe(0);
    // The trial runs on the first idle worker: the one that stopped.
    spawned[0].finish();
    expect(await trial).toEqual({ score: 1 });
    await next.close();
    expect(spawned[0].unloads).toBe(1);
    pool.shutdown();
  });

  it('a cancelled search’s close starts no idle timer under the next search', async () => {
    const spawned: { crash(): void; finish(): void; terminated: boolean; unloads: number }[] = [];
    const pool = createTrialPool({ size: 1, spawn: () => drivenWorker(spawned), idleMs: 20, cancelGraceMs: 1000 });
    const first = new AbortController();
    const old = await pool.open(arrays, { backend: 'wasm', signal: first.signal });
    first.abort();
    const next = await pool.open(arrays, { backend: 'wasm', signal: new AbortController().signal });
    const trial = next.run(job);
    await old.close();
    await tick(60);
    expect(spawned.map((w) => w.terminated)).toEqual([false]);
    spawned[0].finish();
    expect(await trial).toEqual({ score: 1 });
    await next.close();
    await tick(60);
    // Idle after the last search: the timer ends the worker.
    expect(spawned.map((w) => w.terminated)).toEqual([true]);
  });

  it('a trial waiting for a worker fails when the last worker dies, instead of waiting forever', async () => {
    const spawned: { crash(): void; finish(): void; terminated: boolean; unloads: number }[] = [];
    const pool = createTrialPool({ size: 2, spawn: () => drivenWorker(spawned) });
    const search = await pool.open(arrays, { backend: 'wasm', signal: new AbortController().signal });
    const trials = [search.run(job), search.run(job), search.run(job)].map((trial) => trial.catch((error: Error) => error.message));
    await tick();
    spawned[0].crash();
    await tick();
    spawned[1].crash();
    expect(await Promise.all(trials)).toEqual([
      expect.stringMatching(/stopped: crashed/),
      expect.stringMatching(/stopped: crashed/),
      'every trial worker stopped',
    ]);
    pool.shutdown();
  });

  it('an open that fails to load frees the rows the other workers loaded', async () => {
    const spawned: { crash(): void; finish(): void; terminated: boolean; unloads: number }[] = [];
    const pool = createTrialPool({ size: 2, spawn: () => drivenWorker(spawned, spawned.length === 1) });
    await expect(pool.open(arrays, { backend: 'wasm', signal: new AbortController().signal })).rejects.toThrow('out of memory');
    expect(spawned[0].unloads).toBe(1);
    pool.shutdown();
  });
});
