/**
 * `pipeline-studio run <graph.json>`: runs a graph file headless with the same engine and
 * node catalogue as the app (tfjs on the wasm backend in Node, cpu as the fallback).
 * Exit codes: 0 ok, 1 the run failed (a node failed or was cancelled), 2 bad usage or input
 * (arguments, graph file, --set values, validation errors).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TrainedModel } from '../data/types';
import type { NodeStatus, RunEvent } from '../engine/events';
import { Executor, type ExecuteResult } from '../engine/executor';
import type { Graph } from '../engine/graph';
import { GraphFileError, parseGraphFile } from '../engine/graph-file';
import type { NodeSummary } from '../engine/node';
import { checkParam, parseParamText } from '../engine/params';
import type { NodeRegistry } from '../engine/registry';
import type { NodeServices } from '../engine/services';
import { type Problem, validateGraph } from '../engine/validate';
import { createRegistry } from '../nodes';
import { initBackend } from '../runtime/backend';
import { isBackendPreference } from '../runtime/backend-preference';
import { nodeBackendPlatform } from '../runtime/backend-node';
import { modelIo } from '../runtime/model-io';
import { nodeTrialRunner } from '../runtime/trial-pool-node';
import type { BackendPreference } from '../runtime/protocol';
import { MemoryEndpointStore, modelNamer } from '../storage/endpoints';
import { MemoryDatasetStore, MemoryModelStore } from '../storage/memory';
import { createFileReader, describeFsError } from './files';
import { writeRunRecord } from './runs';
import { commandArgs } from './args';
import { progressThrottle, statusLine, textTable } from './format';
import { type CliIo, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, UsageError } from './io';
import { errorMessage } from '../engine/errors';

export { type CliIo, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, UsageError } from './io';

export const RUN_USAGE = `Usage: pipeline-studio run <graph.json> [options]

Runs a graph file (exported from Pipeline Studio) headless.

Options:
  --json                   print one JSON object with the results on stdout
  --set <node>.<param>=<value>
                           override a param before running (repeatable),
                           e.g. --set train.epochs=5 --set split.test=0.3
  --target <node>          run only this node and what it needs (repeatable)
  --backend <name>         wasm (default), cpu or auto (probe both, pick the faster)
  --save-models <dir>      write every trained model as <dir>/<node>.zip
                           (the directory is created when missing)
  --record <dir>           write the run's record (graph, hashes, metrics, training
                           history) as <dir>/<run id>.json; list and compare
                           records with: pipeline-studio runs <dir>
  --quiet                  no progress lines on stderr
  -h, --help               show this help

Bundled samples (samples/iris.csv …) are found from any directory; other file
paths in the graph are relative to the current directory.

Exit codes: 0 ok, 1 the run failed, 2 bad arguments or input.`;

export interface NodeReport {
  type: string;
  status: NodeStatus;
  cached: boolean;
  ms: number | null;
  summary: NodeSummary | null;
  error?: string;
  /** Why a skipped node did not run, e.g. "not run: Scale is disabled". */
  note?: string;
}

export interface RunReport {
  ok: boolean;
  cancelled: boolean;
  backend: string;
  backendReason: string;
  ms: number;
  nodes: Record<string, NodeReport>;
  savedModels?: string[];
  /** The run record written by --record. */
  recordFile?: string;
}

/** Applies `--set node.param=value` overrides, checked like the inspector checks them. */
export function applyOverrides(graph: Graph, registry: NodeRegistry, sets: readonly string[]): Graph {
  const next: Graph = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, params: { ...n.params } })) };
  for (const set of sets) {
    const eq = set.indexOf('=');
    const key = eq < 0 ? set : set.slice(0, eq);
    // Node ids may contain dots; param names do not: split at the last dot.
    const dot = key.lastIndexOf('.');
    if (eq < 0 || dot <= 0 || dot === key.length - 1) throw new UsageError(`--set ${set}: expected <node>.<param>=<value>`);
    const nodeId = key.slice(0, dot);
    const param = key.slice(dot + 1);
    const text = set.slice(eq + 1);
    const node = next.nodes.find((n) => n.id === nodeId);
    if (!node) throw new UsageError(`--set ${set}: the graph has no node "${nodeId}" (nodes: ${next.nodes.map((n) => n.id).join(', ')})`);
    const def = registry.get(node.type);
    if (!def) throw new UsageError(`--set ${set}: node "${nodeId}" has unknown type "${node.type}"`);
    const spec = def.params[param];
    if (!spec) {
      const names = Object.keys(def.params);
      throw new UsageError(`--set ${set}: node "${nodeId}" (${def.type}) has no param "${param}" (params: ${names.join(', ') || 'none'})`);
    }
    let value: unknown;
    try {
      value = parseParamText(spec, text);
    } catch (error) {
      throw new UsageError(`--set ${set}: param "${param}" of node "${nodeId}": ${errorMessage(error)}`);
    }
    const problem = checkParam(spec, value);
    if (problem) throw new UsageError(`--set ${set}: param "${param}" of node "${nodeId}" ${problem}`);
    node.params[param] = value;
  }
  return next;
}

export async function loadGraph(path: string, cwd: string, registry: NodeRegistry): Promise<{ graph: Graph; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`Cannot read graph file ${path}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
  }
  try {
    return parseGraphFile(text, registry);
  } catch (error) {
    if (error instanceof GraphFileError) throw new UsageError(`${path} is not a valid graph file:\n  ${error.message.split('\n').join('\n  ')}`);
    throw error;
  }
}

/** A validation problem with where it is: `node "train" (train.fit), param "epochs": must be ≥ 1`. */
export function formatProblem(problem: Problem, graph: Graph): string {
  const where: string[] = [];
  if (problem.nodeId !== undefined) {
    const node = graph.nodes.find((n) => n.id === problem.nodeId);
    where.push(`node "${problem.nodeId}"${node ? ` (${node.type})` : ''}`);
  } else if (problem.edgeId !== undefined) {
    where.push(`edge "${problem.edgeId}"`);
  }
  if (problem.param !== undefined) where.push(`param "${problem.param}"`);
  if (problem.port !== undefined) where.push(`port "${problem.port}"`);
  return where.length > 0 ? `${where.join(', ')}: ${problem.message}` : problem.message;
}

/**
 * Makes sure `--save-models` names a directory that exists or can be created, before the
 * run: a typo should not cost a whole training run. Throws a UsageError saying what is wrong.
 */
async function prepareSaveDir(option: string, cwd: string): Promise<string> {
  const dir = resolve(cwd, option);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') {
      throw new UsageError(`--save-models ${option}: ${dir} is a file, not a directory; give a directory (it is created when missing)`);
    }
    throw new UsageError(`--save-models ${option}: cannot create the directory ${dir}: ${describeFsError(error)}`);
  }
  return dir;
}

function safeFileName(text: string): string {
  return text.replace(/[^a-zA-Z0-9._-]+/g, '_').slice(0, 80) || 'model';
}

const RUN_OPTIONS = {
  json: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  target: { type: 'string', multiple: true },
  backend: { type: 'string' },
  'save-models': { type: 'string' },
  record: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

type RunValues = Exclude<ReturnType<typeof commandArgs<typeof RUN_OPTIONS>>, number>['values'];

/** What a run needs before it starts, all checked: a typo must not cost a whole training run. */
interface RunInput {
  graph: Graph;
  targets: string[];
  preference: BackendPreference;
  /** --save-models, created. */
  saveDir?: string;
}

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const args = commandArgs(argv, RUN_OPTIONS, RUN_USAGE, io);
  if (typeof args === 'number') return args;
  const { values } = args;
  const registry = createRegistry();
  const input = await readRunInput(values, args.positionals, registry, io);
  if (typeof input === 'number') return input;
  const { graph, targets } = input;

  const tf = await import('@tensorflow/tfjs');
  const backend = await initBackend(tf, input.preference, nodeBackendPlatform);
  if (!values.quiet || backend.name !== input.preference) io.stderr(`backend: ${backend.name} (${backend.reason})\n`);

  const executor = new Executor(registry);
  const progress = runProgress(graph, io, values.quiet === true);
  const startedAt = Date.now();
  const result = await executor.run(graph, { targets: targets.length ? targets : undefined, signal: io.signal, onEvent: progress.onEvent, services: runServices(backend.name, io) });

  const { nodes } = progress;
  const runReport: RunReport = {
    ok: result.ok,
    cancelled: result.cancelled,
    backend: backend.name,
    backendReason: backend.reason,
    ms: Math.round(result.ms),
    nodes: Object.fromEntries(nodes),
  };
  let saveError: string | null = null;
  if (input.saveDir !== undefined && modelIo && result.ok) {
    runReport.savedModels = [];
    try {
      await saveModels(executor, [...nodes.keys()], input.saveDir, modelIo, io, runReport.savedModels);
    } catch (error) {
      saveError = errorMessage(error);
      runReport.ok = false;
    }
  }
  if (values.record !== undefined) {
    const nodeMs = new Map([...nodes].flatMap(([id, n]) => (n.status === 'done' && n.ms !== null ? [[id, n.ms] as const] : [])));
    const outputsOf = (id: string) => executor.outputsOf(id);
    runReport.recordFile = await writeRunRecord(resolve(io.cwd, values.record), { runId: result.runId, graph, registry, result, startedAt, backend: backend.name, targets, nodeMs, outputsOf });
    progress.say(`recorded run ${result.runId} in ${runReport.recordFile}`);
  }
  executor.clear();
  return reportRun(runReport, result, saveError, { json: values.json === true, nodes, typeOf: progress.typeOf }, io);
}

/** The services nodes get in the CLI: files from disk, in-memory stores, tune trials on worker threads. */
function runServices(backend: string, io: CliIo): NodeServices {
  const models = new MemoryModelStore();
  return {
    backend,
    readFile: createFileReader(io.cwd),
    datasets: new MemoryDatasetStore(),
    models,
    endpoints: new MemoryEndpointStore(modelNamer(models)),
    // One worker per core; started only when a tune node runs.
    trialRunner: nodeTrialRunner(),
  };
}

/** Prints the report (a table, or JSON with --json) on stdout and what failed on stderr; returns the exit code. */
function reportRun(runReport: RunReport, result: ExecuteResult, saveError: string | null, options: { json: boolean; nodes: ReadonlyMap<string, NodeReport>; typeOf(id: string): string }, io: CliIo): number {
  if (options.json) {
    io.stdout(`${JSON.stringify(runReport, null, 2)}\n`);
  } else {
    const rows = [...options.nodes].map(([id, n]) => [id, n.type, n.status, n.ms === null ? '' : `${n.ms} ms`, n.error ?? n.note ?? n.summary?.text ?? '']);
    io.stdout(`${textTable(['node', 'type', 'status', 'time', 'summary'], rows)}\n`);
  }
  if (saveError !== null) {
    io.stderr(`error: ${saveError}\n`);
    return EXIT_RUN_FAILED;
  }
  if (!result.ok) {
    const failures = [...result.errors].map(([id, message]) => `node "${id}" (${options.typeOf(id)}) failed: ${message}`);
    io.stderr(`error: ${result.cancelled ? 'the run was cancelled' : failures.join('\n       ') || 'the run failed'}\n`);
    return EXIT_RUN_FAILED;
  }
  return EXIT_OK;
}

/**
 * Reads and checks everything a run needs: the graph file, --set overrides, --target nodes,
 * validation, --backend and --save-models. Bad usage or input prints `error: …` and gives exit 2.
 */
async function readRunInput(values: RunValues, positionals: string[], registry: NodeRegistry, io: CliIo): Promise<RunInput | number> {
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the graph file to run' : `Expected one graph file, got ${positionals.length}: ${positionals.join(' ')}`);
    const backend = values.backend ?? 'wasm';
    if (!isBackendPreference(backend) || backend === 'webgl' || backend === 'webgpu') throw new UsageError(`--backend ${backend}: choose wasm, cpu or auto`);
    if (values['save-models'] !== undefined && !modelIo) throw new UsageError('--save-models: model export is not available in this build');
    const loaded = await loadGraph(positionals[0], io.cwd, registry);
    for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
    const graph = applyOverrides(loaded.graph, registry, values.set ?? []);
    const targets = values.target ?? [];
    for (const target of targets) {
      if (!graph.nodes.some((n) => n.id === target)) throw new UsageError(`--target ${target}: the graph has no node "${target}"`);
    }
    const problems = validateGraph(graph, registry, { targets: targets.length ? targets : undefined });
    for (const problem of problems.filter((p) => p.level === 'warning')) io.stderr(`warning: ${formatProblem(problem, graph)}\n`);
    const errors = problems.filter((p) => p.level === 'error');
    if (errors.length > 0) {
      throw new UsageError(`The graph has ${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${errors.map((p) => `  - ${formatProblem(p, graph)}`).join('\n')}`);
    }
    const saveDir = values['save-models'] === undefined ? undefined : await prepareSaveDir(values['save-models'], io.cwd);
    return { graph, targets, preference: backend, ...(saveDir === undefined ? {} : { saveDir }) };
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/**
 * A run's progress: each node's report (status, time, summary) kept from the run's events,
 * and a line per event on stderr (none with --quiet, except a node's warnings, said in full).
 */
function runProgress(graph: Graph, io: CliIo, quiet: boolean) {
  const width = Math.max(4, ...graph.nodes.map((n) => n.id.length));
  // Keyed by node id: a Map, so that no id can collide with an object's own properties.
  const nodes = new Map<string, NodeReport>();
  const throttled = progressThrottle(width);
  const say = (line: string) => {
    if (!quiet) io.stderr(`${line}\n`);
  };
  const typeOf = (id: string) => graph.nodes.find((n) => n.id === id)?.type ?? '?';
  const fresh = (id: string): NodeReport => ({ type: typeOf(id), status: 'queued', cached: false, ms: null, summary: null });
  const report = (id: string): NodeReport => {
    let entry = nodes.get(id);
    if (!entry) nodes.set(id, (entry = fresh(id)));
    return entry;
  };
  // "(1 warning)" alone would hide what went wrong.
  const warn = (id: string, summary: NodeSummary | undefined) => {
    for (const warning of summary?.warnings ?? []) io.stderr(`warning: node "${id}" (${typeOf(id)}): ${warning}\n`);
  };
  const onEvent = (event: RunEvent) => {
    switch (event.type) {
      case 'run-start':
        for (const id of event.nodeIds) nodes.set(id, fresh(id));
        break;
      case 'node-start':
        report(event.nodeId).status = 'running';
        say(statusLine(event.nodeId, width, 'started', typeOf(event.nodeId)));
        break;
      case 'node-progress': {
        const line = throttled(event);
        if (line !== undefined) say(line);
        break;
      }
      case 'node-cached':
        Object.assign(report(event.nodeId), { status: 'cached', cached: true, ms: 0, summary: event.summary ?? null });
        say(statusLine(event.nodeId, width, 'cached', event.summary?.text));
        warn(event.nodeId, event.summary);
        break;
      case 'node-done':
        Object.assign(report(event.nodeId), { status: 'done', ms: Math.round(event.ms), summary: event.summary ?? null });
        say(statusLine(event.nodeId, width, `done in ${Math.round(event.ms)} ms`, event.summary?.text));
        warn(event.nodeId, event.summary);
        break;
      case 'node-error':
        Object.assign(report(event.nodeId), { status: 'error', error: event.message });
        say(statusLine(event.nodeId, width, 'FAILED', event.message));
        break;
      case 'node-skipped':
        Object.assign(report(event.nodeId), { status: 'skipped', ...(event.message !== undefined ? { note: event.message } : {}) });
        say(statusLine(event.nodeId, width, 'skipped', event.message !== undefined ? `(${event.message})` : event.reason === 'cancelled' ? '(cancelled)' : '(an upstream node failed)'));
        break;
      case 'node-cancelled':
        report(event.nodeId).status = 'cancelled';
        say(statusLine(event.nodeId, width, 'cancelled'));
        break;
    }
  };
  return { nodes, onEvent, say, typeOf };
}

/** --save-models: every trained model the run holds as <dir>/<node>[-<port>].zip; `saved` gets each path. */
async function saveModels(executor: Executor, nodeIds: string[], dir: string, exporter: NonNullable<typeof modelIo>, io: CliIo, saved: string[]): Promise<void> {
  for (const id of nodeIds) {
    const outcome = executor.outputsOf(id);
    if (!outcome) continue;
    for (const [port, spec] of Object.entries(outcome.def.outputs)) {
      const model = outcome.outputs[port] as TrainedModel | undefined;
      if (spec.type !== 'model' || !model) continue;
      const file = join(dir, `${safeFileName(id)}${Object.keys(outcome.def.outputs).length > 1 ? `-${port}` : ''}.zip`);
      try {
        await writeFile(file, await exporter.exportModelZip(model.artifact));
      } catch (error) {
        throw new Error(`cannot save the model of node "${id}" to ${file}: ${describeFsError(error)}`, { cause: error });
      }
      saved.push(file);
      io.stderr(`saved model of ${id} to ${file}\n`);
    }
  }
}
