/**
 * One tune trial's work, the same code wherever it runs: in the engine's own thread (the
 * in-process runner: tests, one core) or in a pool worker (a Web Worker in the browser, a
 * worker thread in the CLI). A job names the trial's session options, the epoch count to
 * reach, and the checkpoint its previous rung left; the answer is a new checkpoint. So a
 * trial may continue on any worker, and its numbers never depend on which one, or on how
 * many workers there are.
 */
import type { HistoryPoint } from '../../data/types';
import type { TrialBatch, TrialRunner } from '../../engine/services';
import { tf } from '../../ml/tf';
import { CancelledError, TrainingSession, preparedFromArrays, type PreparedData, type SessionCheckpoint, type SessionOptions, type TrainingArrays } from '../../ml/train';

/** Session options that cross to a worker (no signal, no callbacks). */
export type TrialSessionOptions = Omit<SessionOptions, 'signal' | 'onEpoch' | 'onBatch' | 'batchProgressEvery'>;

export interface TrialJob {
  /** 1-based trial number, for progress. */
  trial: number;
  options: TrialSessionOptions;
  /** Train until this many epochs have run in all (fewer when early stopping triggers). */
  target: number;
  /** Where the trial's previous rung left it; null for a fresh network. */
  checkpoint: SessionCheckpoint | null;
}

export interface TrialOutcome {
  trial: number;
  checkpoint: SessionCheckpoint;
}

/** An epoch a trial finished, reported as it happens. */
export interface TrialEpoch {
  trial: number;
  point: HistoryPoint;
}

export type TuneTrialRunner = TrialRunner<TrainingArrays, TrialJob, TrialOutcome, TrialEpoch>;
export type TuneTrialBatch = TrialBatch<TrialJob, TrialOutcome>;

/** Runs one rung of one trial on prepared data; every tensor it makes is freed before it returns. */
export async function runTrial(data: PreparedData, job: TrialJob, signal: AbortSignal, onEpoch?: (event: TrialEpoch) => void): Promise<TrialOutcome> {
  if (signal.aborted) throw new CancelledError();
  const session = new TrainingSession(data, { ...job.options, signal, onEpoch: onEpoch && ((point) => onEpoch({ trial: job.trial, point })) });
  try {
    if (job.checkpoint) session.restore(job.checkpoint);
    await session.run(job.target - session.epoch);
    return { trial: job.trial, checkpoint: await session.checkpoint() };
  } finally {
    session.dispose();
  }
}

/**
 * The default runner: trials one after another in the calling thread, with the caller's
 * tfjs. Used when the platform offers no pool (tests, one core) or its pool cannot start.
 */
export const inProcessTrialRunner: TuneTrialRunner = {
  size: 1,
  async open(arrays, { signal, onProgress }) {
    const data = preparedFromArrays(arrays);
    return {
      run: (job) => runTrial(data, job, signal, onProgress),
      close: async () => data.dispose(),
    };
  },
};

/**
 * What a pool worker exposes (with comlink): the platform's worker entry adds `init`, which
 * sets up tfjs on the engine's backend, and hands the rest to this object.
 */
export interface TrialWorkerApi {
  /** Loads tfjs on `backend` (the engine's), once per worker. */
  init(backend: string): Promise<void>;
  /** Takes one search's prepared rows (transferred), replacing any earlier ones. */
  load(arrays: TrainingArrays): Promise<void>;
  run(job: TrialJob, onEpoch?: (event: TrialEpoch) => void): Promise<TrialOutcome>;
  /** Stops the running trial within one batch. */
  cancel(): void;
  /** Frees the loaded rows; answers how many tensors this worker still holds (0 when nothing leaked). */
  unload(): Promise<number>;
}

/** The worker side of TrialWorkerApi, less `init` (the platform's). */
export function createTrialWorker(): Omit<TrialWorkerApi, 'init'> {
  let data: PreparedData | null = null;
  let controller = new AbortController();
  const unload = () => {
    data?.dispose();
    data = null;
  };
  return {
    async load(arrays) {
      unload();
      controller = new AbortController();
      data = preparedFromArrays(arrays);
    },
    async run(job, onEpoch) {
      if (!data) throw new Error('no rows loaded in this trial worker');
      return runTrial(data, job, controller.signal, onEpoch);
    },
    cancel() {
      controller.abort();
    },
    async unload() {
      unload();
      return tf().memory().numTensors;
    },
  };
}

/** The arrays of prepared rows, copied, and the buffers to transfer with them. */
export function transferableCopy(arrays: TrainingArrays): { arrays: TrainingArrays; transfer: ArrayBuffer[] } {
  const trainX = arrays.trainX.slice();
  const trainY = arrays.trainY.slice();
  const valX = arrays.valX?.slice() ?? null;
  const valY = arrays.valY?.slice() ?? null;
  const transfer = [trainX, trainY, valX, valY].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
  return { arrays: { ...arrays, trainX, trainY, valX, valY }, transfer };
}
