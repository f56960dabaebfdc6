/**
 * The executor: runs a planned graph node by node and keeps every result in a cache that
 * lives as long as the executor (one per worker / CLI session), so a re-run executes only
 * the nodes whose key changed and what depends on them. What a run needs and each node's
 * key come from the planning pass in run-steps.ts, which freshness() reads too.
 */
import type { NodeStatus, RunEvent, RunEventListener } from './events';
import type { Graph } from './graph';
import type { AnyNodeDefinition, NodeSummary, ProgressUpdate } from './node';
import { errorMessage } from './errors';
import type { ImplementedRegistry } from './registry';
import { prepareNode, prepareRun, stepKey, type NodeStep, type PreparedRun, type ReadyStep } from './run-steps';
import type { NodeServices } from './services';

export interface ExecuteOptions {
  /** "Run to here": these nodes and their ancestors. Every node when omitted or empty. */
  targets?: readonly string[];
  /** Cancels the run: no node starts after it fires; the running node sees it as ctx.signal. */
  signal?: AbortSignal;
  services?: NodeServices;
  onEvent?: RunEventListener;
  runId?: string;
}

export interface ExecuteResult {
  runId: string;
  ok: boolean;
  cancelled: boolean;
  ms: number;
  /** Final status of every planned node, in plan order. */
  status: ReadonlyMap<string, NodeStatus>;
  /** Error message per failed node. */
  errors: ReadonlyMap<string, string>;
}

/** A node's last outputs, for previews (worker) and results (CLI). */
export interface NodeResult {
  def: AnyNodeDefinition;
  outputs: Record<string, unknown>;
  /** The params it ran with (migrated, defaults filled in). */
  params: Record<string, unknown>;
  summary?: NodeSummary;
  key: string;
}

interface CacheEntry extends NodeResult {
  /** Holders (graph id + node id) whose current result this entry is. Dropped (and disposed) when none is left. */
  holders: Set<string>;
}

/**
 * Results are held per graph and node: node ids such as `file-1` repeat across graphs, and
 * one graph's result must never show as another's.
 */
function holderOf(graphId: string | undefined, nodeId: string): string {
  return `${graphId ?? ''}\u0000${nodeId}`;
}

function graphOfHolder(holder: string): string {
  return holder.slice(0, holder.indexOf('\u0000'));
}

/** The NodeContext handed to a node, with its generics erased. */
interface RunContext {
  nodeId: string;
  runId: string;
  inputs: Record<string, unknown>;
  params: Record<string, unknown>;
  signal: AbortSignal;
  services: NodeServices;
  seed: number;
  graphId?: string;
  progress(update: ProgressUpdate): void;
}

type NodeOutcome =
  | { kind: 'ok'; outputs: Record<string, unknown> }
  | { kind: 'error'; error: unknown }
  | { kind: 'aborted' };

let runCounter = 0;

/** Whether a run would reuse a node's cached result, run it, not get to run it, or leave it out (disabled, or below a disabled node). */
export type NodeFreshness = 'cached' | 'stale' | 'blocked' | 'disabled';

/** Where one node leaves its run: go on with the next node, or stop (cancelled). */
type StepEnd = 'next' | 'cancelled';

/** The per-run things every step reads. */
interface RunScope {
  graphId: string | undefined;
  runId: string;
  signal: AbortSignal;
  services: NodeServices;
  log: RunLog;
  /** Cache keys of the nodes that ran or came from the cache in this run. */
  keys: Map<string, string>;
}

/**
 * One run's report: every planned node's status and error, and the events that tell them.
 * Keyed by node id in Maps, so that no id can collide with an object's own properties.
 */
class RunLog {
  readonly status = new Map<string, NodeStatus>();
  readonly errors = new Map<string, string>();

  constructor(
    readonly runId: string,
    private readonly listener: RunEventListener | undefined,
  ) {}

  emit(event: RunEvent): void {
    try {
      this.listener?.(event);
    } catch (error) {
      // A broken listener must not leave the cache half-updated.
      console.error('RunEvent listener failed', error);
    }
  }

  begin(nodeIds: string[]): void {
    const { runId } = this;
    this.emit({ type: 'run-start', runId, nodeIds, at: Date.now() });
    for (const nodeId of nodeIds) {
      this.status.set(nodeId, 'queued');
      this.emit({ type: 'node-queued', runId, nodeId });
    }
  }

  /** Whether the node ran or came from the cache in this run (so its outputs can feed another). */
  produced(nodeId: string): boolean {
    const status = this.status.get(nodeId);
    return status === 'done' || status === 'cached';
  }

  fail(nodeId: string, message: string): void {
    this.status.set(nodeId, 'error');
    this.errors.set(nodeId, message);
    this.emit({ type: 'node-error', runId: this.runId, nodeId, message });
  }

  skip(nodeId: string, reason: 'upstream-error' | 'cancelled' | 'disabled', message?: string): void {
    this.status.set(nodeId, 'skipped');
    this.emit({ type: 'node-skipped', runId: this.runId, nodeId, reason, ...(message !== undefined ? { message } : {}) });
  }

  cached(nodeId: string, summary: NodeSummary | undefined): void {
    this.status.set(nodeId, 'cached');
    this.emit({ type: 'node-cached', runId: this.runId, nodeId, ...(summary ? { summary } : {}) });
  }

  started(nodeId: string): void {
    this.status.set(nodeId, 'running');
    this.emit({ type: 'node-start', runId: this.runId, nodeId, at: Date.now() });
  }

  progress(nodeId: string, update: ProgressUpdate): void {
    this.emit({ type: 'node-progress', runId: this.runId, nodeId, ...update });
  }

  done(nodeId: string, ms: number, summary: NodeSummary | undefined): void {
    this.status.set(nodeId, 'done');
    this.emit({ type: 'node-done', runId: this.runId, nodeId, ms, ...(summary ? { summary } : {}) });
  }

  cancelled(nodeId: string): void {
    this.status.set(nodeId, 'cancelled');
    this.emit({ type: 'node-cancelled', runId: this.runId, nodeId });
  }

  /** Nodes the run did not reach: still queued ones are skipped, blocked ones fail (on a cycle) or are skipped. */
  unreached(prepared: PreparedRun, cancelled: boolean): void {
    for (const nodeId of prepared.plan.order) if (this.status.get(nodeId) === 'queued') this.skip(nodeId, 'cancelled');
    for (const [nodeId, cycleError] of prepared.cycleErrors) {
      if (cycleError !== undefined) this.fail(nodeId, cycleError);
      else this.skip(nodeId, cancelled ? 'cancelled' : 'upstream-error');
    }
  }
}

/** The salt a ready step's cacheSalt gives now (undefined when it declares none). */
function saltOf(step: ReadyStep, services: NodeServices, signal: AbortSignal): Promise<string | undefined> {
  return step.def.cacheSalt ? step.def.cacheSalt(step.params as never, services, signal) : Promise.resolve(undefined);
}

/** The node's summary of its outputs; a summarize that throws says so instead of failing the node. */
function summarize(def: AnyNodeDefinition, outputs: Record<string, unknown>, params: Record<string, unknown>): NodeSummary | undefined {
  try {
    return def.summarize?.(outputs as never, params as never);
  } catch (error) {
    return { text: `(summary failed: ${errorMessage(error)})` };
  }
}

function hasDispose(value: unknown): value is { dispose(): void } {
  return typeof value === 'object' && value !== null && typeof (value as { dispose?: unknown }).dispose === 'function';
}

export class Executor {
  private readonly entries = new Map<string, CacheEntry>();
  /** holder (graph id + node id) → key of the entry that is its current result. */
  private readonly heldBy = new Map<string, string>();
  /** holder → the cacheSalt its last run used: freshness() cannot await a salt, so it predicts with this. */
  private readonly lastSalts = new Map<string, string | undefined>();
  /** The graph of the last run: outputsOf(nodeId) reads its results. */
  private lastGraphId: string | undefined;
  /** Runs one at a time: two interleaved runs would evict each other's inputs. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly registry: ImplementedRegistry) {}

  run(graph: Graph, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const result = this.queue.then(() => this.execute(graph, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The node's last outputs in the graph of the last run (or in graph `graphId`), or undefined. */
  outputsOf(nodeId: string, graphId = this.lastGraphId): NodeResult | undefined {
    const key = this.heldBy.get(holderOf(graphId, nodeId));
    const entry = key === undefined ? undefined : this.entries.get(key);
    if (!entry) return undefined;
    const { holders: _holders, ...result } = entry;
    return result;
  }

  /**
   * Lookup of `graph`'s current results: a node's result only when this graph produced it
   * and it is still what the node's current params, inputs and seed give (same cache key,
   * salted nodes predicted with their last salt). An edited node, its descendants and any
   * node of another graph that happens to share its id get undefined. A node that runs every
   * time (not deterministic, or below one) has no key to compare: its result from this graph's
   * last run is its current one.
   */
  resultsFor(graph: Graph): (nodeId: string) => NodeResult | undefined {
    const { keys, freshness } = this.predict(graph);
    return (nodeId) => {
      const key = keys.get(nodeId);
      if (key === undefined) return freshness.get(nodeId) === 'stale' ? this.outputsOf(nodeId, graph.id) : undefined;
      if (this.heldBy.get(holderOf(graph.id, nodeId)) !== key) return undefined;
      return this.outputsOf(nodeId, graph.id);
    };
  }

  /**
   * Each node's cache key as a run of `graph` would compute it now, without running anything
   * (salted nodes with the salt of their last run, or of the last saltsFor()). Nodes that
   * cannot get a key (invalid, non-deterministic, never-salted, or below such a node) are absent.
   */
  currentKeys(graph: Graph): Map<string, string> {
    return this.predict(graph).keys;
  }

  /**
   * Computes the cache salts of `graph`'s salted nodes now (reading their files) and
   * remembers them, so currentKeys() gives exact keys for a graph that has not run in this
   * session (results restored after a reload). A salt that fails leaves its node keyless.
   * Salts already known are kept unless `refresh` (as freshness() predicts with them).
   */
  async saltsFor(graph: Graph, services: NodeServices, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const signal = options.signal ?? new AbortController().signal;
    for (const node of graph.nodes) {
      const step = prepareNode(graph, node, [], this.registry);
      if (!step.ready || !step.def.cacheSalt || step.def.deterministic === false) continue;
      const holder = holderOf(graph.id, node.id);
      if (!options.refresh && this.lastSalts.has(holder)) continue;
      try {
        this.lastSalts.set(holder, await saltOf(step, services, signal));
      } catch {
        this.lastSalts.delete(holder);
      }
    }
  }

  /**
   * What a run of `graph` would do for each planned node, without running anything: reuse
   * its cached result, run it ('stale': changed, never run, or not deterministic), or not
   * get to it ('blocked': invalid, or downstream of an invalid node), or leave it out
   * ('disabled': disabled, or downstream of a disabled node). For "outdated" badges.
   * A node with a cacheSalt is predicted with the salt of its last run (a file edited since
   * then shows 'cached' here; the run itself reads the new salt and re-executes).
   */
  freshness(graph: Graph, options: { targets?: readonly string[] } = {}): Map<string, NodeFreshness> {
    return this.predict(graph, options).freshness;
  }

  private predict(graph: Graph, options: { targets?: readonly string[] } = {}): { freshness: Map<string, NodeFreshness>; keys: Map<string, string> } {
    const { plan, steps } = prepareRun(graph, this.registry, options.targets);
    const freshness = new Map<string, NodeFreshness>();
    const keys = new Map<string, string>();
    for (const step of steps) freshness.set(step.nodeId, this.predictStep(graph.id, step, freshness, keys));
    for (const nodeId of plan.blocked) freshness.set(nodeId, 'blocked');
    return { freshness, keys };
  }

  /** What a run would do with one step, given what it would do upstream; records the step's key when it would have one. */
  private predictStep(graphId: string | undefined, step: NodeStep, freshness: ReadonlyMap<string, NodeFreshness>, keys: Map<string, string>): NodeFreshness {
    if (!step.ready && 'disabled' in step) return 'disabled';
    if (!step.ready || step.incoming.some((e) => freshness.get(e.from.node) === 'blocked')) return 'blocked';
    // Downstream of a node that will run, the input key is not known yet: it will run too.
    if (step.def.deterministic === false || step.incoming.some((e) => !keys.has(e.from.node))) return 'stale';
    const holder = holderOf(graphId, step.nodeId);
    if (step.def.cacheSalt && !this.lastSalts.has(holder)) return 'stale';
    let key: string;
    try {
      key = stepKey(step, keys, { salt: step.def.cacheSalt ? this.lastSalts.get(holder) : undefined });
    } catch {
      return 'blocked';
    }
    keys.set(step.nodeId, key);
    return this.entries.has(key) ? 'cached' : 'stale';
  }

  /** Number of cached results (for tests and the status bar). */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every cached result and disposes what it holds. Call between runs. */
  clear(): void {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.heldBy.clear();
    this.lastSalts.clear();
    const disposed = new Set<unknown>();
    for (const entry of all) {
      for (const value of Object.values(entry.outputs)) {
        if (hasDispose(value) && !disposed.has(value)) {
          disposed.add(value);
          safeDispose(value);
        }
      }
    }
  }

  private async execute(graph: Graph, options: ExecuteOptions): Promise<ExecuteResult> {
    const started = performance.now();
    const runId = options.runId ?? `run-${Date.now().toString(36)}-${++runCounter}`;
    const signal = options.signal ?? new AbortController().signal;
    const log = new RunLog(runId, options.onEvent);
    const prepared = prepareRun(graph, this.registry, options.targets);
    this.lastGraphId = graph.id;
    this.forgetRemovedNodes(graph);
    log.begin([...prepared.plan.order, ...prepared.plan.blocked]);

    const scope: RunScope = { graphId: graph.id, runId, signal, services: options.services ?? { backend: 'none' }, log, keys: new Map() };
    let cancelled = false;
    for (const step of prepared.steps) {
      if (signal.aborted || (await this.runStep(step, scope)) === 'cancelled') {
        cancelled = true;
        break;
      }
    }
    if (signal.aborted) cancelled = true;
    log.unreached(prepared, cancelled);
    this.keepOnlyGraph(graph.id);

    const ok = !cancelled && log.errors.size === 0;
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    log.emit({ type: 'run-done', runId, ok, cancelled, ms });
    return { runId, ok, cancelled, ms, status: log.status, errors: log.errors };
  }

  /** One planned node of a run: skipped, failed, taken from the cache, or run. */
  private async runStep(step: NodeStep, scope: RunScope): Promise<StepEnd> {
    const { log } = scope;
    const { nodeId } = step;
    if (!step.ready && 'disabled' in step) {
      log.skip(nodeId, 'disabled', step.message);
      return 'next';
    }
    if (!step.incoming.every((e) => log.produced(e.from.node))) {
      log.skip(nodeId, 'upstream-error');
      return 'next';
    }
    if (!step.ready) {
      log.fail(nodeId, step.message);
      return 'next';
    }
    const keyed = await this.keyForRun(step, scope);
    if (keyed.kind === 'cancelled') return 'cancelled';
    if (keyed.kind === 'failed') {
      if (keyed.release) this.releaseHolder(holderOf(scope.graphId, nodeId));
      log.fail(nodeId, keyed.message);
      return 'next';
    }
    scope.keys.set(nodeId, keyed.key);
    const hit = this.entries.get(keyed.key);
    if (hit) {
      this.hold(holderOf(scope.graphId, nodeId), hit);
      log.cached(nodeId, hit.summary);
      return 'next';
    }
    return this.runAndKeep(step, keyed.key, scope);
  }

  /**
   * The step's key for this run: a non-deterministic node gets a key never seen before (and so
   * does everything downstream); a salted node's salt is read now and remembered for freshness().
   */
  private async keyForRun(
    step: ReadyStep,
    { graphId, runId, signal, services, keys }: RunScope,
  ): Promise<{ kind: 'key'; key: string } | { kind: 'failed'; message: string; release: boolean } | { kind: 'cancelled' }> {
    const nonce = step.def.deterministic === false ? `${runId}:${performance.now()}:${Math.random()}` : undefined;
    let salt: string | undefined;
    if (step.def.cacheSalt && nonce === undefined) {
      try {
        salt = await saltOf(step, services, signal);
      } catch (error) {
        if (signal.aborted) return { kind: 'cancelled' };
        // e.g. the file is gone: the node fails with the reason, as its run would.
        return { kind: 'failed', message: errorMessage(error), release: true };
      }
      if (signal.aborted) return { kind: 'cancelled' };
      this.lastSalts.set(holderOf(graphId, step.nodeId), salt);
    }
    try {
      return { kind: 'key', key: stepKey(step, keys, { nonce, salt }) };
    } catch (error) {
      // e.g. a circular value a caller put into params: this node fails, the run goes on.
      return { kind: 'failed', message: `Params cannot be hashed: ${errorMessage(error)}`, release: false };
    }
  }

  /** Runs a step that missed the cache and keeps its outputs as the node's current result. */
  private async runAndKeep(step: ReadyStep, key: string, scope: RunScope): Promise<StepEnd> {
    const { log, signal, graphId, keys } = scope;
    const { nodeId, def, params } = step;
    const holder = holderOf(graphId, nodeId);
    const inputs: Record<string, unknown> = {};
    for (const edge of step.incoming) {
      inputs[edge.to.port] = this.entries.get(keys.get(edge.from.node)!)!.outputs[edge.from.port];
    }
    log.started(nodeId);
    const nodeStarted = performance.now();
    let running = true;
    const outcome = await this.runNode(def, {
      nodeId,
      runId: scope.runId,
      inputs,
      params,
      signal,
      services: scope.services,
      seed: step.seed,
      graphId,
      progress: (update) => {
        if (running) log.progress(nodeId, update);
      },
    });
    running = false;

    if (outcome.kind === 'aborted' || (outcome.kind === 'error' && signal.aborted)) {
      log.cancelled(nodeId);
      this.releaseHolder(holder);
      return 'cancelled';
    }
    if (outcome.kind === 'error') {
      this.releaseHolder(holder);
      log.fail(nodeId, errorMessage(outcome.error));
      return 'next';
    }
    const missing = Object.keys(def.outputs).filter((port) => outcome.outputs[port] === undefined);
    if (missing.length > 0) {
      this.disposeUnlessCached(outcome.outputs);
      this.releaseHolder(holder);
      log.fail(nodeId, `did not produce output${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
      return 'next';
    }
    const summary = summarize(def, outcome.outputs, params);
    const entry: CacheEntry = { key, def, params, outputs: outcome.outputs, holders: new Set(), ...(summary ? { summary } : {}) };
    this.entries.set(key, entry);
    this.hold(holder, entry);
    log.done(nodeId, Math.round((performance.now() - nodeStarted) * 1000) / 1000, summary);
    return 'next';
  }

  /**
   * Runs one node, settling early when the run is cancelled: a node that ignores its signal
   * must not hold the run. Whatever it returns after that is disposed.
   */
  private runNode(def: AnyNodeDefinition, ctx: RunContext): Promise<NodeOutcome> {
    const { signal } = ctx;
    return new Promise<NodeOutcome>((resolve) => {
      if (signal.aborted) {
        resolve({ kind: 'aborted' });
        return;
      }
      let settled = false;
      const onAbort = () => {
        settled = true;
        resolve({ kind: 'aborted' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      let promise: Promise<Record<string, unknown>>;
      try {
        promise = def.run(ctx as never) as Promise<Record<string, unknown>>;
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (outputs) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) {
            this.disposeUnlessCached(outputs);
            return;
          }
          settled = true;
          if (typeof outputs !== 'object' || outputs === null) {
            resolve({ kind: 'error', error: new Error('returned no outputs') });
          } else {
            resolve({ kind: 'ok', outputs });
          }
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          resolve({ kind: 'error', error });
        },
      );
    });
  }

  /** Before a run: results and salts of this graph's nodes that are no longer in it are dropped. */
  private forgetRemovedNodes(graph: Graph): void {
    const ids = new Set(graph.nodes.map((n) => n.id));
    const gone = (holder: string) => graphOfHolder(holder) === (graph.id ?? '') && !ids.has(holder.slice(holder.indexOf('\u0000') + 1));
    for (const holder of [...this.heldBy.keys()]) if (gone(holder)) this.releaseHolder(holder);
    for (const holder of [...this.lastSalts.keys()]) if (gone(holder)) this.lastSalts.delete(holder);
  }

  /**
   * After a run: one graph's results are kept (memory stays bounded); other graphs' go now,
   * after this run had the chance to reuse them (a duplicated graph runs from the cache).
   */
  private keepOnlyGraph(graphId: string | undefined): void {
    const other = (holder: string) => graphOfHolder(holder) !== (graphId ?? '');
    for (const holder of [...this.heldBy.keys()]) if (other(holder)) this.releaseHolder(holder);
    for (const holder of [...this.lastSalts.keys()]) if (other(holder)) this.lastSalts.delete(holder);
  }

  /** Makes `entry` the current result of `holder` (graph id + node id), dropping its previous one. */
  private hold(holder: string, entry: CacheEntry): void {
    const previous = this.heldBy.get(holder);
    if (previous === entry.key) return;
    entry.holders.add(holder);
    this.heldBy.set(holder, entry.key);
    if (previous !== undefined) this.releaseKey(holder, previous);
  }

  private releaseHolder(holder: string): void {
    const key = this.heldBy.get(holder);
    if (key === undefined) return;
    this.heldBy.delete(holder);
    this.releaseKey(holder, key);
  }

  private releaseKey(holder: string, key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.holders.delete(holder);
    if (entry.holders.size > 0) return;
    this.entries.delete(key);
    this.disposeUnlessCached(entry.outputs);
  }

  /** Disposes disposable outputs, except values another cached entry still holds (pass-through nodes). */
  private disposeUnlessCached(outputs: Record<string, unknown> | null | undefined): void {
    if (typeof outputs !== 'object' || outputs === null) return;
    for (const value of Object.values(outputs)) {
      if (!hasDispose(value)) continue;
      let stillUsed = false;
      for (const entry of this.entries.values()) {
        if (Object.values(entry.outputs).includes(value)) {
          stillUsed = true;
          break;
        }
      }
      if (!stillUsed) safeDispose(value);
    }
  }
}

function safeDispose(value: { dispose(): void }): void {
  try {
    value.dispose();
  } catch (error) {
    console.error('dispose() failed', error);
  }
}
