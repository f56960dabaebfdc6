/**
 * The main thread's engine: an EngineClient over a replaceable worker. One run at a time.
 * If a cancelled run does not stop within a grace period, or the worker crashes, the worker
 * is terminated and replaced: the UI gets the closing events it would otherwise never see
 * (node-cancelled / node-error, run-done), and the next run works. A replaced worker starts
 * with an empty cache, so the next run recomputes everything.
 */
import * as Comlink from 'comlink';
import type { NodeStatus, RunEvent } from '../engine/events';
import type { Graph } from '../engine/graph';
import type { DataProfile } from '../auto/profile';
import { backendFromUrl } from './backend-preference';
import type { BackendInfo, BackendPreference, EngineClient, EngineWorkerApi, NodeViews, PredictResult, RecordOutcome, RestoredNode, RunOptions } from './protocol';
import { errorMessage } from '../engine/errors';

/** What the client needs of a worker: a message endpoint, a way to kill it, and crash news. */
export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Registers the crash listener (uncaught error in the worker, undeliverable message). */
  onCrash(listener: (message: string) => void): void;
}

export interface ClientOptions {
  /** How long a cancelled run may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
  /** How long to wait for a finished run's closing events before writing them ourselves. */
  settleMs?: number;
  /** Overrides the backend preference (the `?backend=` URL parameter). */
  backendOverride?: BackendPreference | null;
  /** How often a run pings its worker (the heartbeat). */
  heartbeatMs?: number;
  /**
   * How long a running worker may stay silent (no answer to a ping, no event) before it is
   * taken for dead and replaced. A worker busy in a long synchronous step is silent too,
   * so this is several times longer than any step the nodes take without yielding.
   */
  heartbeatTimeoutMs?: number;
  /** How long a finished run waits for the worker to say whether its record was written. */
  recordWaitMs?: number;
}

export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 6000;
/**
 * On WebGL/WebGPU a worker is legitimately silent for longer: shader compiles and synchronous
 * read-backs block it, for over 8 s on a software renderer under load (seen in the clean-clone
 * runs: a live worker was replaced mid-run on ?backend=webgl).
 */
export const GPU_HEARTBEAT_TIMEOUT_MS = 30_000;

export type RunOutcome = { runId: string; ok: boolean; cancelled: boolean; record?: RecordOutcome };

interface ActiveRun {
  runId: string;
  startedAt: number;
  planned: string[];
  status: Map<string, NodeStatus>;
  onEvent: (event: RunEvent) => void;
  finish: (outcome: RunOutcome) => void;
  ended: boolean;
  ended$: Promise<RunOutcome>;
  /** Date.now() of the last sign of life from the worker (an answered ping, an event). */
  lastHeard: number;
}

interface Generation {
  handle: WorkerHandle;
  api: Comlink.Remote<EngineWorkerApi>;
  /** Rejects when this worker is replaced: pending calls to it fail instead of hanging. */
  dead: Promise<never>;
  kill: (reason: Error) => void;
}

let runCounter = 0;
const MAX_CRASHES_WITHOUT_ANSWER = 3;
const FINAL: ReadonlySet<NodeStatus> = new Set(['done', 'cached', 'error', 'cancelled', 'skipped']);

export class WorkerEngineClient implements EngineClient {
  private generation: Generation;
  private current: ActiveRun | null = null;
  private preference: BackendPreference = 'auto';
  private initialised: Promise<BackendInfo> | null = null;
  /** Picked files (bytes or a Blob) by token, handed again to a replaced worker. */
  private readonly files = new Map<string, { name: string; bytes: Uint8Array } | { name: string; blob: Blob }>();
  private backendInfo: BackendInfo | null = null;
  /** Number of workers replaced so far (status bar, tests). */
  restarts = 0;
  /** Crashes since the last answered call: a worker that dies on start must not be respawned forever. */
  private crashesWithoutAnswer = 0;
  /** Set when the worker keeps dying before answering anything: every call fails with it. */
  private broken: Error | null = null;
  /** Test builds only (vitest, `vite --mode test`; absent from production builds): crash the worker. */
  declare readonly crashForTest?: () => Promise<void>;

  constructor(
    private readonly createWorker: () => WorkerHandle,
    private readonly options: ClientOptions = {},
  ) {
    this.generation = this.spawn();
    if (import.meta.env.MODE === 'test') {
      // The crash may land before the call is answered: the call then fails with the crash,
      // which is what was asked for, so it resolves (the run, if any, ends on its running
      // node through recover()).
      this.crashForTest = async () => {
        const generation = this.generation;
        try {
          await this.call((api) => (api as Comlink.Remote<Required<EngineWorkerApi>>).crashForTest());
        } catch (error) {
          if (this.generation === generation && !this.broken) throw error;
        }
      };
    }
  }

  get backend(): BackendInfo | null {
    return this.backendInfo;
  }

  get running(): boolean {
    return this.current !== null;
  }

  private spawn(): Generation {
    const handle = this.createWorker();
    let kill!: (reason: Error) => void;
    const dead = new Promise<never>((_, reject) => (kill = reject));
    dead.catch(() => undefined);
    const generation: Generation = { handle, api: Comlink.wrap<EngineWorkerApi>(handle.endpoint), dead, kill };
    handle.onCrash((message) => {
      if (this.generation === generation) this.recover(`The engine worker crashed: ${message}; it was restarted`, 'crash');
    });
    return generation;
  }

  /** Calls the current worker; fails (instead of hanging) if that worker dies meanwhile. */
  private call<T>(fn: (api: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    const { api, dead } = this.generation;
    return Promise.race([
      fn(api).then((value) => {
        this.crashesWithoutAnswer = 0;
        return value;
      }),
      dead,
    ]);
  }

  init(preference: BackendPreference): Promise<BackendInfo> {
    this.preference = this.options.backendOverride ?? preference;
    const attempt = this.call((api) => api.init(this.preference)).then((info) => {
      this.backendInfo = info;
      return info;
    });
    this.initialised = attempt;
    return attempt;
  }

  private ensureInit(): Promise<BackendInfo> {
    return this.initialised ?? this.init(this.preference);
  }

  async run(graph: Graph, options: RunOptions, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
    if (this.current) throw new Error('A run is already in progress: cancel it or wait for it to finish');
    const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
    let finish!: (outcome: RunOutcome) => void;
    const ended$ = new Promise<RunOutcome>((resolve) => (finish = resolve));
    const run: ActiveRun = { runId, startedAt: Date.now(), planned: [], status: new Map(), onEvent, finish, ended: false, ended$, lastHeard: Date.now() };
    this.current = run;
    try {
      await this.ensureInit();
    } catch (error) {
      this.emit(run, { type: 'run-done', runId, ok: false, cancelled: false, ms: 0 });
      throw error;
    }
    // Watched from here: choosing a backend compiles shaders and times probes in long
    // synchronous steps, which must not pass for a dead worker.
    run.lastHeard = Date.now();
    this.watch(run);
    const receive = Comlink.proxy((events: RunEvent[]) => {
      for (const event of events) this.emit(run, event);
    });
    // (comlink's Remote type spreads the union; the value is the worker's RecordOutcome as is)
    const done = this.call((api) => api.run(runId, graph, options, receive) as Promise<RecordOutcome | undefined>);
    done.then(
      () => this.settleLater(run),
      (error: unknown) => {
        // A worker that was replaced has already closed the run; anything else is a failure to report.
        if (!run.ended && this.current === run) {
          this.closeRun(run, { kind: 'error', message: errorMessage(error) });
        }
      },
    );
    const recorded = done.then(
      (outcome) => outcome,
      () => undefined,
    );
    return ended$.then(async (outcome) => {
      // The worker writes the run's record right after its last event: wait for that briefly (never forever).
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.options.recordWaitMs ?? 5000)));
      const record = await Promise.race([recorded, late]);
      clearTimeout(timer);
      return record ? ({ ...outcome, record } satisfies RunOutcome) : outcome;
    });
  }

  /**
   * The heartbeat: while `run` is active its worker is pinged every heartbeatMs. A worker
   * that dies without an `error` event (killed for memory, closed) answers nothing, and
   * would leave the run "running" until Cancel: once it has been silent for
   * heartbeatTimeoutMs and several pings, on two ticks in a row (so answers already queued
   * on this thread are read first), it is taken for dead and the run ends on its node.
   */
  private watch(run: ActiveRun): void {
    const every = this.options.heartbeatMs ?? HEARTBEAT_MS;
    const onGpu = this.backendInfo?.name === 'webgl' || this.backendInfo?.name === 'webgpu';
    const timeout = this.options.heartbeatTimeoutMs ?? (onGpu ? GPU_HEARTBEAT_TIMEOUT_MS : HEARTBEAT_TIMEOUT_MS);
    let unanswered = 0;
    let suspect = false;
    const timer = setInterval(() => {
      if (run.ended || this.current !== run) {
        clearInterval(timer);
        return;
      }
      const silentFor = Date.now() - run.lastHeard;
      if (unanswered >= 3 && silentFor >= timeout) {
        if (suspect) {
          clearInterval(timer);
          this.recover(`The engine worker stopped answering (silent for ${Math.round(silentFor / 1000)} s); it was restarted`, 'crash');
          return;
        }
        suspect = true;
      } else {
        suspect = false;
      }
      unanswered += 1;
      const { api, dead } = this.generation;
      Promise.race([api.ping(), dead]).then(
        () => {
          unanswered = 0;
          run.lastHeard = Date.now();
        },
        () => undefined,
      );
    }, every);
    void run.ended$.then(() => clearInterval(timer));
  }

  /** Delivers one event and tracks node states, so a forced end can close what was open. */
  private emit(run: ActiveRun, event: RunEvent): void {
    if (run.ended) return;
    run.lastHeard = Date.now();
    switch (event.type) {
      case 'run-start':
        run.planned = event.nodeIds;
        for (const id of event.nodeIds) run.status.set(id, 'queued');
        break;
      case 'node-start':
        run.status.set(event.nodeId, 'running');
        break;
      case 'node-cached':
        run.status.set(event.nodeId, 'cached');
        break;
      case 'node-done':
        run.status.set(event.nodeId, 'done');
        break;
      case 'node-error':
        run.status.set(event.nodeId, 'error');
        break;
      case 'node-cancelled':
        run.status.set(event.nodeId, 'cancelled');
        break;
      case 'node-skipped':
        run.status.set(event.nodeId, 'skipped');
        break;
    }
    try {
      run.onEvent(event);
    } catch (error) {
      console.error('RunEvent listener failed', error);
    }
    if (event.type === 'run-done') {
      run.ended = true;
      if (this.current === run) this.current = null;
      run.finish({ runId: run.runId, ok: event.ok, cancelled: event.cancelled });
    }
  }

  /**
   * The worker finished: its closing events travel on another channel and normally arrive
   * first; if they have not after a moment, close the run here so the UI never stays "running".
   */
  private settleLater(run: ActiveRun): void {
    if (run.ended) return;
    const timer = setTimeout(() => {
      if (!run.ended) this.closeRun(run, { kind: 'error', message: 'The engine finished without reporting the end of the run' });
    }, this.options.settleMs ?? 1000);
    void run.ended$.then(() => clearTimeout(timer));
  }

  /** Writes the closing events of a run the worker can no longer report. */
  private closeRun(run: ActiveRun, how: { kind: 'cancel' } | { kind: 'error'; message: string }): void {
    const open = run.planned.filter((id) => !FINAL.has(run.status.get(id) ?? 'queued'));
    const running = open.filter((id) => run.status.get(id) === 'running');
    for (const nodeId of open) {
      if (run.status.get(nodeId) === 'running') {
        this.emit(run, how.kind === 'cancel' ? { type: 'node-cancelled', runId: run.runId, nodeId } : { type: 'node-error', runId: run.runId, nodeId, message: how.message });
      } else {
        this.emit(run, { type: 'node-skipped', runId: run.runId, nodeId, reason: how.kind === 'cancel' ? 'cancelled' : 'upstream-error' });
      }
    }
    if (how.kind === 'error' && running.length === 0) console.error(how.message);
    this.emit(run, { type: 'run-done', runId: run.runId, ok: false, cancelled: how.kind === 'cancel', ms: Date.now() - run.startedAt });
  }

  /** Replaces the worker; closes the active run with `message` (crash) or as cancelled. */
  private recover(message: string, cause: 'crash' | 'cancel'): void {
    const old = this.generation;
    old.kill(new Error(message));
    try {
      old.handle.terminate();
    } catch {
      // already gone
    }
    if (cause === 'crash') this.crashesWithoutAnswer += 1;
    const giveUp = this.crashesWithoutAnswer >= MAX_CRASHES_WITHOUT_ANSWER;
    const text = giveUp ? message.replace(/; it was restarted$/, '; it keeps crashing, so it was stopped: reload the page to try again') : message;
    const run = this.current;
    if (run && !run.ended) this.closeRun(run, cause === 'cancel' ? { kind: 'cancel' } : { kind: 'error', message: text });
    this.current = null;
    if (giveUp) {
      this.broken = new Error(text);
      return;
    }
    this.restarts += 1;
    this.generation = this.spawn();
    // Bring the new worker to the same state: backend, picked files.
    this.initialised = null;
    if (this.backendInfo) void this.init(this.preference).catch(() => undefined);
    for (const [token, file] of this.files) {
      void this.call((api) => ('blob' in file ? api.putFileBlob(token, file.name, file.blob) : api.putFile(token, file.name, file.bytes))).catch(() => undefined);
    }
  }

  async cancel(): Promise<void> {
    const run = this.current;
    if (!run || run.ended) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.cancelGraceMs ?? 1500)));
    // Not awaited: a worker stuck in a long synchronous step cannot even answer this call.
    void this.call((api) => api.cancel(run.runId)).catch(() => undefined);
    const outcome = await Promise.race([run.ended$, grace]);
    clearTimeout(timer);
    if (outcome === 'late' && !run.ended) this.recover('The run did not stop in time; the engine worker was restarted', 'cancel');
  }

  views(graph: Graph, nodeId: string): Promise<NodeViews | null> {
    return this.call((api) => api.views(graph, nodeId));
  }

  columns(graph: Graph, nodeId: string, port?: string): Promise<{ name: string; dtype: string; role?: string }[] | null> {
    return this.call((api) => api.columns(graph, nodeId, port));
  }

  restore(graph: Graph): Promise<RestoredNode[]> {
    return this.call((api) => api.restore(graph));
  }

  hashFile(token: string): Promise<string> {
    return this.call((api) => api.hashFile(token));
  }

  profileFile(token: string): Promise<DataProfile> {
    return this.call((api) => api.profileFile(token));
  }

  async predict(modelId: string, record: Record<string, unknown>): Promise<PredictResult> {
    await this.ensureInit();
    return this.call((api) => api.predict(modelId, record));
  }

  exportModel(modelId: string): Promise<Uint8Array> {
    return this.call((api) => api.exportModel(modelId));
  }

  exportOnnx(modelId: string): Promise<Uint8Array> {
    return this.call((api) => api.exportOnnx(modelId));
  }

  importModel(zip: Uint8Array): Promise<string> {
    return this.call((api) => api.importModel(zip));
  }

  async putFile(token: string, name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(token, { name, bytes });
    await this.call((api) => api.putFile(token, name, bytes));
  }

  async putFileBlob(token: string, name: string, blob: Blob): Promise<void> {
    this.files.set(token, { name, blob });
    await this.call((api) => api.putFileBlob(token, name, blob));
  }

  /** Stops the worker for good (tests, page teardown). */
  dispose(): void {
    this.generation.kill(new Error('The engine client was disposed'));
    this.generation.handle.terminate();
  }
}

export function browserWorkerHandle(): WorkerHandle {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'pipeline-studio-engine' });
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onCrash: (listener) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        listener(event.message || 'the worker stopped unexpectedly');
      });
      worker.addEventListener('messageerror', () => listener('a message could not be read'));
    },
  };
}

let shared: WorkerEngineClient | null = null;

/** The page's engine client (one worker per page). */
export function getEngineClient(): WorkerEngineClient {
  shared ??= new WorkerEngineClient(browserWorkerHandle, {
    backendOverride: typeof location === 'undefined' ? null : backendFromUrl(location.search),
  });
  return shared;
}
