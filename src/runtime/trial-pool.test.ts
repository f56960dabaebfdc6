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
});
