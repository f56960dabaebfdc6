/**
 * The executor: runs a planned graph node by node and keeps every result in a cache that
 * lives as long as the executor (one per worker / CLI session), so a re-run executes only
 * the nodes whose key changed and what depends on them.
 *
 * Cache key = sha-256 over canonical JSON of (type, version, declared params, node seed
 * (graph seed mixed with node id), input keys in port order, and the node type's cacheSalt
 * when it declares one, e.g. the hash of a file's bytes). Position and label never enter a
 * key, so moving or renaming a node re-executes nothing.
 */
import type { NodeStatus, RunEvent, RunEventListener } from './events';
import type { Graph, GraphEdge } from './graph';
import { canonicalHash, deriveNodeSeed } from './hash';
import type { AnyNodeDefinition, NodeSummary, ProgressUpdate } from './node';
import { declaredParams, errorMessage, resolveNodeParams } from './node-params';
import { liveEdges, planRun } from './plan';
import type { NodeRegistry } from './registry';
import type { NodeServices } from './services';
import { describeNode, validateGraph, type Problem } from './validate';

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

/** Whether a run would reuse a node's cached result, run it, or not get to run it. */
export type NodeFreshness = 'cached' | 'stale' | 'blocked';

/** A node's cache key (exported for `run-node`, which computes the same key one node at a time). */
export function cacheKey(def: AnyNodeDefinition, params: Record<string, unknown>, seed: number, inputs: unknown[], nonce?: string, salt?: string): string {
  return canonicalHash({
    type: def.type,
    version: def.version,
    params,
    seed,
    inputs,
    ...(nonce !== undefined ? { nonce } : {}),
    ...(salt !== undefined ? { salt } : {}),
  });
}

/** Validation errors grouped by the node they stop: an edge problem stops the node it feeds. */
function blockingProblems(graph: Graph, problems: Problem[]): Map<string, string[]> {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));
  const blockers = new Map<string, string[]>();
  for (const problem of problems) {
    if (problem.level !== 'error') continue;
    const edge = problem.edgeId === undefined ? undefined : edgeById.get(problem.edgeId);
    const nodeId = edge && nodeIds.has(edge.to.node) ? edge.to.node : problem.nodeId;
    if (nodeId === undefined) continue;
    const list = blockers.get(nodeId) ?? [];
    if (!list.includes(problem.message)) list.push(problem.message);
    blockers.set(nodeId, list);
  }
  return blockers;
}

function incomingEdges(graph: Graph): Map<string, GraphEdge[]> {
  const incomingOf = new Map<string, GraphEdge[]>();
  for (const edge of liveEdges(graph)) {
    const list = incomingOf.get(edge.to.node) ?? [];
    list.push(edge);
    incomingOf.set(edge.to.node, list);
  }
  return incomingOf;
}

/** Input keys in the node type's port order: [port, upstream key, upstream port] or [port, null]. */
export function inputKeysOf(def: AnyNodeDefinition, incoming: GraphEdge[], keys: Map<string, string>): unknown[] {
  return Object.keys(def.inputs).map((port) => {
    const edge = incoming.find((e) => e.to.port === port);
    return edge ? [port, keys.get(edge.from.node)!, edge.from.port] : [port, null];
  });
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

  constructor(private readonly registry: NodeRegistry) {}

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
      const def = node.placeholder ? undefined : this.registry.get(node.type);
      if (!def?.cacheSalt || def.deterministic === false) continue;
      if (!options.refresh && this.lastSalts.has(holderOf(graph.id, node.id))) continue;
      const resolved = resolveNodeParams(node, def);
      if (!resolved.ok) continue;
      try {
        const salt = await def.cacheSalt(declaredParams(def, resolved.params) as never, services, signal);
        this.lastSalts.set(holderOf(graph.id, node.id), salt);
      } catch {
        this.lastSalts.delete(holderOf(graph.id, node.id));
      }
    }
  }

  /**
   * What a run of `graph` would do for each planned node, without running anything: reuse
   * its cached result, run it ('stale': changed, never run, or not deterministic), or not
   * get to it ('blocked': invalid, or downstream of an invalid node). For "outdated" badges.
   * A node with a cacheSalt is predicted with the salt of its last run (a file edited since
   * then shows 'cached' here; the run itself reads the new salt and re-executes).
   */
  freshness(graph: Graph, options: { targets?: readonly string[] } = {}): Map<string, NodeFreshness> {
    return this.predict(graph, options).freshness;
  }

  private predict(graph: Graph, options: { targets?: readonly string[] } = {}): { freshness: Map<string, NodeFreshness>; keys: Map<string, string> } {
    const plan = planRun(graph, { targets: options.targets });
    const blockers = blockingProblems(graph, validateGraph(graph, this.registry, { targets: options.targets }));
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const incomingOf = incomingEdges(graph);
    const result = new Map<string, NodeFreshness>();
    const keys = new Map<string, string>();
    for (const nodeId of plan.order) {
      const node = byId.get(nodeId)!;
      const incoming = incomingOf.get(nodeId) ?? [];
      const def = node.placeholder ? undefined : this.registry.get(node.type);
      const resolved = def ? resolveNodeParams(node, def) : undefined;
      if (!def || !resolved?.ok || blockers.has(nodeId) || incoming.some((e) => result.get(e.from.node) === 'blocked')) {
        result.set(nodeId, 'blocked');
        continue;
      }
      // Downstream of a node that will run, the input key is not known yet: it will run too.
      if (def.deterministic === false || incoming.some((e) => !keys.has(e.from.node))) {
        result.set(nodeId, 'stale');
        continue;
      }
      const holder = holderOf(graph.id, nodeId);
      if (def.cacheSalt && !this.lastSalts.has(holder)) {
        result.set(nodeId, 'stale');
        continue;
      }
      let key: string;
      try {
        const salt = def.cacheSalt ? this.lastSalts.get(holder) : undefined;
        key = cacheKey(def, declaredParams(def, resolved.params), deriveNodeSeed(graph.seed, nodeId), inputKeysOf(def, incoming, keys), undefined, salt);
      } catch {
        result.set(nodeId, 'blocked');
        continue;
      }
      keys.set(nodeId, key);
      result.set(nodeId, this.entries.has(key) ? 'cached' : 'stale');
    }
    for (const nodeId of plan.blocked) result.set(nodeId, 'blocked');
    return { freshness: result, keys };
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
    const services: NodeServices = options.services ?? { backend: 'none' };
    const emit = (event: RunEvent) => {
      try {
        options.onEvent?.(event);
      } catch (error) {
        // A broken listener must not leave the cache half-updated.
        console.error('RunEvent listener failed', error);
      }
    };

    const plan = planRun(graph, { targets: options.targets });
    const problems = validateGraph(graph, this.registry, { targets: options.targets });
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const incomingOf = incomingEdges(graph);
    const blockers = blockingProblems(graph, problems);

    // Results of nodes no longer in the graph are dropped.
    this.lastGraphId = graph.id;
    const own = (holder: string) => graphOfHolder(holder) === (graph.id ?? '');
    const gone = (holder: string) => own(holder) && !byId.has(holder.slice(holder.indexOf('\u0000') + 1));
    for (const holder of [...this.heldBy.keys()]) if (gone(holder)) this.releaseHolder(holder);
    for (const holder of [...this.lastSalts.keys()]) if (gone(holder)) this.lastSalts.delete(holder);

    const planned = [...plan.order, ...plan.blocked];
    // Keyed by node id: Maps, so that no id can collide with an object's own properties.
    const status = new Map<string, NodeStatus>();
    const errors = new Map<string, string>();
    const keys = new Map<string, string>();
    emit({ type: 'run-start', runId, nodeIds: planned, at: Date.now() });
    for (const nodeId of planned) {
      status.set(nodeId, 'queued');
      emit({ type: 'node-queued', runId, nodeId });
    }

    const fail = (nodeId: string, message: string) => {
      status.set(nodeId, 'error');
      errors.set(nodeId, message);
      emit({ type: 'node-error', runId, nodeId, message });
    };

    let cancelled = false;
    for (const nodeId of plan.order) {
      if (signal.aborted) {
        cancelled = true;
        break;
      }
      const node = byId.get(nodeId)!;
      const incoming = incomingOf.get(nodeId) ?? [];
      if (incoming.some((e) => status.get(e.from.node) !== 'done' && status.get(e.from.node) !== 'cached')) {
        status.set(nodeId, 'skipped');
        emit({ type: 'node-skipped', runId, nodeId, reason: 'upstream-error' });
        continue;
      }
      const blocked = blockers.get(nodeId);
      const def = node.placeholder ? undefined : this.registry.get(node.type);
      if (blocked || !def) {
        fail(nodeId, blocked?.join('; ') ?? `Unknown node type "${node.type}"`);
        continue;
      }
      const resolved = resolveNodeParams(node, def);
      if (!resolved.ok) {
        fail(nodeId, `Params ${resolved.message}`);
        continue;
      }
      const params = declaredParams(def, resolved.params);
      const seed = deriveNodeSeed(graph.seed, nodeId);
      // A non-deterministic node gets a key never seen before, and so does everything downstream.
      const nonce = def.deterministic === false ? `${runId}:${performance.now()}:${Math.random()}` : undefined;
      let salt: string | undefined;
      if (def.cacheSalt && nonce === undefined) {
        try {
          salt = await def.cacheSalt(params as never, services, signal);
        } catch (error) {
          if (signal.aborted) {
            cancelled = true;
            break;
          }
          // e.g. the file is gone: the node fails with the reason, as its run would.
          this.releaseHolder(holderOf(graph.id, nodeId));
          fail(nodeId, errorMessage(error));
          continue;
        }
        if (signal.aborted) {
          cancelled = true;
          break;
        }
        this.lastSalts.set(holderOf(graph.id, nodeId), salt);
      }
      let key: string;
      try {
        key = cacheKey(def, params, seed, inputKeysOf(def, incoming, keys), nonce, salt);
      } catch (error) {
        // e.g. a circular value a caller put into params: this node fails, the run goes on.
        fail(nodeId, `Params cannot be hashed: ${errorMessage(error)}`);
        continue;
      }
      keys.set(nodeId, key);

      const hit = this.entries.get(key);
      if (hit) {
        this.hold(holderOf(graph.id, nodeId), hit);
        status.set(nodeId, 'cached');
        emit({ type: 'node-cached', runId, nodeId, ...(hit.summary ? { summary: hit.summary } : {}) });
        continue;
      }

      const inputs: Record<string, unknown> = {};
      for (const edge of incoming) {
        inputs[edge.to.port] = this.entries.get(keys.get(edge.from.node)!)!.outputs[edge.from.port];
      }
      status.set(nodeId, 'running');
      emit({ type: 'node-start', runId, nodeId, at: Date.now() });
      const nodeStarted = performance.now();
      let running = true;
      const outcome = await this.runNode(def, {
        nodeId,
        runId,
        inputs,
        params,
        signal,
        services,
        seed,
        graphId: graph.id,
        progress: (update) => {
          if (running) emit({ type: 'node-progress', runId, nodeId, ...update });
        },
      });
      running = false;

      if (outcome.kind === 'aborted' || (outcome.kind === 'error' && signal.aborted)) {
        status.set(nodeId, 'cancelled');
        emit({ type: 'node-cancelled', runId, nodeId });
        this.releaseHolder(holderOf(graph.id, nodeId));
        cancelled = true;
        break;
      }
      if (outcome.kind === 'error') {
        this.releaseHolder(holderOf(graph.id, nodeId));
        fail(nodeId, errorMessage(outcome.error));
        continue;
      }
      const missing = Object.keys(def.outputs).filter((port) => outcome.outputs[port] === undefined);
      if (missing.length > 0) {
        this.disposeUnlessCached(outcome.outputs);
        this.releaseHolder(holderOf(graph.id, nodeId));
        fail(nodeId, `did not produce output${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
        continue;
      }
      let summary: NodeSummary | undefined;
      try {
        summary = def.summarize?.(outcome.outputs as never, params as never);
      } catch (error) {
        summary = { text: `(summary failed: ${errorMessage(error)})` };
      }
      const entry: CacheEntry = { key, def, params, outputs: outcome.outputs, holders: new Set(), ...(summary ? { summary } : {}) };
      this.entries.set(key, entry);
      this.hold(holderOf(graph.id, nodeId), entry);
      status.set(nodeId, 'done');
      emit({
        type: 'node-done',
        runId,
        nodeId,
        ms: Math.round((performance.now() - nodeStarted) * 1000) / 1000,
        ...(summary ? { summary } : {}),
      });
    }

    if (signal.aborted) cancelled = true;
    for (const nodeId of plan.order) {
      if (status.get(nodeId) !== 'queued') continue;
      status.set(nodeId, 'skipped');
      emit({ type: 'node-skipped', runId, nodeId, reason: 'cancelled' });
    }
    const onCycle = new Set(plan.cycles.flat());
    for (const nodeId of plan.blocked) {
      if (onCycle.has(nodeId)) {
        const cycle = plan.cycles.find((c) => c.includes(nodeId))!;
        fail(nodeId, `Cycle: ${cycle.map((id) => describeNode(byId.get(id), id)).join(' → ')}`);
      } else {
        status.set(nodeId, 'skipped');
        emit({ type: 'node-skipped', runId, nodeId, reason: cancelled ? 'cancelled' : 'upstream-error' });
      }
    }

    // One graph's results are kept (memory stays bounded): other graphs' go now, after this
    // run had the chance to reuse them (a duplicated graph runs from the cache).
    for (const holder of [...this.heldBy.keys()]) if (!own(holder)) this.releaseHolder(holder);
    for (const holder of [...this.lastSalts.keys()]) if (!own(holder)) this.lastSalts.delete(holder);

    const ok = !cancelled && errors.size === 0;
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    emit({ type: 'run-done', runId, ok, cancelled, ms });
    return { runId, ok, cancelled, ms, status, errors };
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
