/**
 * `pipeline-studio run-node`: runs ONE node with its inputs read from, and its outputs written
 * to, port directories (src/cli/port-files.ts): the unit a cluster task runs. Two forms:
 *
 *   run-node <graph.json> --node <id> --inputs <dir> --outputs <dir> [--set …]
 *       the node, its params and its incoming edges come from the graph file; the input fed
 *       by node n's port p is read from <inputs>/n/p/ (what `--outputs <dir>/n` wrote);
 *   run-node --node <id> --type <stage.name> --graph-seed <n> [--param <name>=<value> …] --input <port>=<dir> … --output <port>=<dir> …
 *       no graph file: what `compile` writes into each KFP/Argo task (params arrive as
 *       pipeline parameters, inputs as artifact paths; the producer of each input is read
 *       from its meta.json).
 *
 * The node's cache key is the executor's key for the same graph (params, node seed, type
 * version, the producers' keys from the inputs' meta.json, the node's salt): it is written
 * into every output's meta.json and, with --outputs, to <dir>/cache-key.json.
 * Exit codes: 0 ok, 1 the node failed, 2 bad usage or input (unknown node, missing or
 * damaged input files, bad params).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../engine/events';
import { cacheKey, inputKeysOf } from '../engine/run-steps';
import type { GraphEdge, GraphNode } from '../engine/graph';
import { deriveNodeSeed } from '../engine/hash';
import type { AnyNodeDefinition, NodeSummary, ProgressUpdate } from '../engine/node';
import { errorMessage } from '../engine/errors';
import { declaredParams, resolveNodeParams } from '../engine/node-params';
import { checkParam, parseParamText, type ParamSpec } from '../engine/params';
import type { NodeServices } from '../engine/services';
import { validateGraph } from '../engine/validate';
import { createRegistry } from '../nodes';
import { initBackend } from '../runtime/backend';
import { isBackendPreference } from '../runtime/backend-preference';
import { nodeBackendPlatform } from '../runtime/backend-node';
import type { BackendPreference } from '../runtime/protocol';
import { MemoryEndpointStore, modelNamer } from '../storage/endpoints';
import { MemoryModelStore } from '../storage/memory';
import { commandArgs } from './args';
import { createFileReader } from './files';
import { progressLine, statusLine } from './format';
import { PortFileError, readPortMeta, readPortValue, writePortValue, type PortMeta } from './port-files';
import { applyOverrides, type CliIo, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, formatProblem, loadGraph, UsageError } from './run';

export const RUN_NODE_USAGE = `Usage: pipeline-studio run-node <graph.json> --node <id> --inputs <dir> --outputs <dir> [options]
       pipeline-studio run-node --node <id> --type <stage.name> --graph-seed <n> [--param <name>=<value> …]
                                --input <port>=<dir> … --output <port>=<dir> …

Runs one node of a graph, reading each connected input from a port directory and
writing each output to one: the unit of work of a compiled cluster task. E.g.
  run-node g.json --node data  --outputs work/data
  run-node g.json --node roles --inputs work --outputs work/roles

A port directory holds meta.json (port type, producing node and its cache key) and the
value: data.arrow (tables, datasets: Apache Arrow IPC), model.zip, or value.json.

Options:
  --node <id>              the node to run (required)
  --inputs <dir>           read the input fed by node <n>'s port <p> from <dir>/<n>/<p>/
                           (what --outputs <dir>/<n> wrote for node <n>)
  --outputs <dir>          write output port <p> to <dir>/<p>/, the cache key to <dir>/cache-key.json
  --input <port>=<dir>     read this input port from <dir> (repeatable)
  --output <port>=<dir>    write this output port to <dir> (repeatable)
  --set <node>.<param>=<value>
                           override a param of the graph file (as in run)
  --type <stage.name>      without a graph file: the node's type
  --graph-seed <n>         without a graph file: the graph's seed (the node's seed derives from it)
  --graph-id <id>          without a graph file: the graph's id (model lineage)
  --param <name>=<value>   without a graph file: a param value (JSON for lists; repeatable)
  --backend <name>         wasm (default), cpu or auto
  --events                 print run events as JSON lines on stdout
  --quiet                  no progress lines on stderr
  -h, --help               show this help

Exit codes: 0 ok, 1 the node failed, 2 bad arguments or input.`;

export const CACHE_KEY_FILE = 'cache-key.json';

/** `port=dir` pairs → map, resolved against cwd. */
function portDirs(values: readonly string[], flag: string, cwd: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`${flag} ${value}: expected <port>=<dir>`);
    out.set(value.slice(0, eq), resolve(cwd, value.slice(eq + 1)));
  }
  return out;
}

/**
 * A param value as a pipeline parameter renders it: lists and JSON params as JSON text,
 * numbers and booleans as their text, strings raw.
 */
export function parseTaskParam(spec: ParamSpec, text: string): unknown {
  if ((spec.kind === 'list' || spec.kind === 'columns') && text.trim().startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`"${text}" is not a valid JSON list`);
    }
  }
  return parseParamText(spec, text);
}

/** The text `parseTaskParam` reads back as `value` (what compile puts into a pipeline). */
export function taskParamText(spec: ParamSpec, value: unknown): string {
  if (spec.kind === 'list' || spec.kind === 'columns' || spec.kind === 'json') return JSON.stringify(value);
  return String(value);
}

function taskNode(def: AnyNodeDefinition, nodeId: string, params: readonly string[]): GraphNode {
  const node: GraphNode = { id: nodeId, type: def.type, version: def.version, params: {}, position: { x: 0, y: 0 } };
  for (const entry of params) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${entry}: expected <name>=<value>`);
    const name = entry.slice(0, eq);
    const spec = def.params[name];
    if (!spec) throw new UsageError(`--param ${entry}: ${def.type} has no param "${name}" (params: ${Object.keys(def.params).join(', ') || 'none'})`);
    let value: unknown;
    try {
      value = parseTaskParam(spec, entry.slice(eq + 1));
    } catch (error) {
      throw new UsageError(`--param ${name}: ${errorMessage(error)}`);
    }
    const problem = checkParam(spec, value);
    if (problem) throw new UsageError(`--param ${name} ${problem}`);
    node.params[name] = value;
  }
  return node;
}

export async function runNodeCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      node: { type: 'string' },
      inputs: { type: 'string' },
      outputs: { type: 'string' },
      input: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      type: { type: 'string' },
      'graph-seed': { type: 'string' },
      'graph-id': { type: 'string' },
      param: { type: 'string', multiple: true },
      backend: { type: 'string' },
      events: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    RUN_NODE_USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;

  const registry = createRegistry();
  const nodeId = values.node ?? '';
  const emit = (event: RunEvent) => {
    if (values.events) io.stdout(`${JSON.stringify(event)}\n`);
  };
  const say = (line: string) => {
    if (!values.quiet) io.stderr(`${line}\n`);
  };

  let def: AnyNodeDefinition;
  let node: GraphNode;
  let graphSeed: number;
  let graphId: string | undefined;
  let incoming: GraphEdge[];
  const inputs: Record<string, { dir: string; meta: PortMeta }> = {};
  const outputDirs = new Map<string, string>();
  let preference: BackendPreference;
  try {
    if (!nodeId) throw new UsageError('Missing --node <id>: the node to run');
    const backend = values.backend ?? 'wasm';
    if (!isBackendPreference(backend) || backend === 'webgl' || backend === 'webgpu') throw new UsageError(`--backend ${backend}: choose wasm, cpu or auto`);
    preference = backend;
    const inputFlags = portDirs(values.input ?? [], '--input', io.cwd);
    const outputFlags = portDirs(values.output ?? [], '--output', io.cwd);

    if (positionals.length > 1) throw new UsageError(`Expected at most one graph file, got ${positionals.length}: ${positionals.join(' ')}`);
    if (positionals.length === 1) {
      if (values.type !== undefined || values.param !== undefined || values['graph-seed'] !== undefined) {
        throw new UsageError('--type, --param and --graph-seed describe a node without a graph file: give one or the other');
      }
      const loaded = await loadGraph(positionals[0], io.cwd, registry);
      for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      const graph = applyOverrides(loaded.graph, registry, values.set ?? []);
      const found = graph.nodes.find((n) => n.id === nodeId);
      if (!found) throw new UsageError(`--node ${nodeId}: the graph has no node "${nodeId}" (nodes: ${graph.nodes.map((n) => n.id).join(', ')})`);
      const known = found.placeholder ? undefined : registry.get(found.type);
      if (!known) throw new UsageError(`node "${nodeId}" has unknown type "${found.type}"`);
      const problems = validateGraph(graph, registry, { targets: [nodeId] }).filter((p) => {
        if (p.level !== 'error') return false;
        if (p.nodeId === nodeId) return true;
        const edge = p.edgeId === undefined ? undefined : graph.edges.find((e) => e.id === p.edgeId);
        return edge?.to.node === nodeId;
      });
      if (problems.length > 0) throw new UsageError(`node "${nodeId}" cannot run:\n${problems.map((p) => `  - ${formatProblem(p, graph)}`).join('\n')}`);
      def = known;
      node = found;
      graphSeed = graph.seed;
      graphId = graph.id;
      incoming = graph.edges.filter((e) => e.to.node === nodeId);
    } else {
      if (values.set !== undefined) throw new UsageError('--set changes a graph file: without one, give params with --param <name>=<value>');
      if (values.inputs !== undefined) throw new UsageError('--inputs finds inputs through the graph file: without one, give --input <port>=<dir>');
      if (!values.type) throw new UsageError('Missing the graph file (or --type <stage.name> with --graph-seed to run a node without one)');
      const known = registry.get(values.type);
      if (!known) throw new UsageError(`--type ${values.type}: unknown node type (known: ${registry.list().map((d) => d.type).join(', ')})`);
      const seedText = values['graph-seed'];
      graphSeed = Number(seedText);
      if (seedText === undefined || seedText.trim() === '' || !Number.isInteger(graphSeed)) throw new UsageError(`--graph-seed: expected a whole number (got ${seedText ?? 'nothing'})`);
      def = known;
      node = taskNode(def, nodeId, values.param ?? []);
      graphId = values['graph-id'];
      incoming = [];
    }

    // Inputs: every port the graph connects (graph form), or every --input (task form).
    for (const port of inputFlags.keys()) {
      if (!def.inputs[port]) throw new UsageError(`--input ${port}: ${def.type} has no input port "${port}" (inputs: ${Object.keys(def.inputs).join(', ') || 'none'})`);
    }
    const wanted = positionals.length === 1 ? incoming.map((e) => e.to.port) : [...inputFlags.keys()];
    for (const port of wanted) {
      const from = incoming.find((e) => e.to.port === port)?.from;
      const dir = inputFlags.get(port) ?? (values.inputs !== undefined && from ? join(resolve(io.cwd, values.inputs), from.node, from.port) : undefined);
      const what = `input "${port}" of node "${nodeId}"`;
      if (!dir) throw new UsageError(`${what}: no --inputs <dir> or --input ${port}=<dir> given`);
      const meta = await readPortMeta(dir, what);
      const expected = def.inputs[port].type;
      if (meta.type !== expected) throw new UsageError(`${what} takes a ${expected}, but ${dir} holds a ${meta.type} (from node "${meta.node}" port "${meta.port}")`);
      const edge = incoming.find((e) => e.to.port === port);
      if (edge && (edge.from.node !== meta.node || edge.from.port !== meta.port)) {
        throw new UsageError(`${what}: the graph wires ${edge.from.node}.${edge.from.port} here, but ${dir} holds the output of ${meta.node}.${meta.port}`);
      }
      if (!edge) incoming.push({ id: `${meta.node}.${meta.port}->${nodeId}.${port}`, from: { node: meta.node, port: meta.port }, to: { node: nodeId, port } });
      inputs[port] = { dir, meta };
    }
    const missing = Object.entries(def.inputs).filter(([port, spec]) => !spec.optional && !inputs[port]);
    if (missing.length > 0) throw new UsageError(`node "${nodeId}" (${def.type}) needs input${missing.length > 1 ? 's' : ''} ${missing.map(([p]) => `"${p}"`).join(', ')}: give --input <port>=<dir>`);

    for (const port of outputFlags.keys()) {
      if (!def.outputs[port]) throw new UsageError(`--output ${port}: ${def.type} has no output port "${port}" (outputs: ${Object.keys(def.outputs).join(', ')})`);
    }
    for (const port of Object.keys(def.outputs)) {
      const dir = outputFlags.get(port) ?? (values.outputs !== undefined ? join(resolve(io.cwd, values.outputs), port) : undefined);
      if (dir) outputDirs.set(port, dir);
    }
    if (outputDirs.size === 0) throw new UsageError(`Nowhere to write the outputs: give --outputs <dir> or --output <port>=<dir>`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof PortFileError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const resolved = resolveNodeParams(node, def);
  if (!resolved.ok) {
    io.stderr(`error: node "${nodeId}": params ${resolved.message}\n`);
    return EXIT_USAGE;
  }
  const params = declaredParams(def, resolved.params);
  const crossProblems = def.check?.(params as never);
  if (crossProblems && Object.keys(crossProblems).length > 0) {
    io.stderr(`error: node "${nodeId}" cannot run:\n${Object.entries(crossProblems).map(([p, m]) => `  - param "${p}": ${m}`).join('\n')}\n`);
    return EXIT_USAGE;
  }

  // tfjs only for nodes that handle models: the data steps start in a fraction of the time.
  const needsTf = [...Object.values(def.inputs), ...Object.values(def.outputs)].some((spec) => spec.type === 'model');
  let backendName = 'none';
  if (needsTf) {
    const tf = await import('@tensorflow/tfjs');
    const backend = await initBackend(tf, preference, nodeBackendPlatform);
    backendName = backend.name;
    if (!values.quiet || backend.name !== preference) io.stderr(`backend: ${backend.name} (${backend.reason})\n`);
  }

  const runId = `node-${nodeId}-${Date.now().toString(36)}`;
  const controller = new AbortController();
  const signal = io.signal ?? controller.signal;
  const models = new MemoryModelStore();
  const services: NodeServices = { backend: backendName, readFile: createFileReader(io.cwd), models, endpoints: new MemoryEndpointStore(modelNamer(models)) };
  const width = nodeId.length;
  const fail = (message: string, code: number) => {
    emit({ type: 'node-error', runId, nodeId, message });
    say(statusLine(nodeId, width, 'FAILED', message));
    io.stderr(`error: node "${nodeId}" (${def.type}) failed: ${message}\n`);
    return code;
  };

  // The executor's cache key: producers' keys come from the inputs' meta.json.
  const keys = new Map(Object.values(inputs).map(({ meta }) => [meta.node, meta.key]));
  let salt: string | undefined;
  const nonce = def.deterministic === false ? `${runId}:${performance.now()}:${Math.random()}` : undefined;
  if (def.cacheSalt && nonce === undefined) {
    try {
      salt = await def.cacheSalt(params as never, services, signal);
    } catch (error) {
      return fail(errorMessage(error), EXIT_RUN_FAILED);
    }
  }
  const seed = deriveNodeSeed(graphSeed, nodeId);
  const key = cacheKey(def, params, seed, inputKeysOf(def, incoming, keys), nonce, salt);

  const values_: Record<string, unknown> = {};
  const disposables: { dispose(): void }[] = [];
  try {
    for (const [port, { dir, meta }] of Object.entries(inputs)) {
      values_[port] = await readPortValue(dir, meta.type, `input "${port}" of node "${nodeId}"`);
      if (meta.type === 'model') disposables.push(values_[port] as { dispose(): void });
    }
  } catch (error) {
    for (const d of disposables) d.dispose();
    if (error instanceof PortFileError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  emit({ type: 'node-start', runId, nodeId, at: Date.now() });
  say(statusLine(nodeId, width, 'started', def.type));
  const started = performance.now();
  let lastLine = 0;
  let outputs: Record<string, unknown>;
  try {
    outputs = (await def.run({
      nodeId,
      runId,
      inputs: values_,
      params,
      signal,
      services,
      seed,
      graphId,
      progress: (update: ProgressUpdate) => {
        emit({ type: 'node-progress', runId, nodeId, ...update });
        const now = Date.now();
        if (now - lastLine < 1000 && update.fraction !== 1) return;
        lastLine = now;
        say(progressLine(nodeId, width, { type: 'node-progress', runId, nodeId, ...update }));
      },
    } as never)) as Record<string, unknown>;
  } catch (error) {
    for (const d of disposables) d.dispose();
    return fail(signal.aborted ? 'cancelled' : errorMessage(error), EXIT_RUN_FAILED);
  }
  const ms = Math.round((performance.now() - started) * 1000) / 1000;
  const produced = Object.keys(def.outputs).filter((port) => outputs?.[port] !== undefined);
  try {
    const absent = Object.keys(def.outputs).filter((port) => !produced.includes(port));
    if (absent.length > 0) return fail(`did not produce output${absent.length > 1 ? 's' : ''} ${absent.map((m) => `"${m}"`).join(', ')}`, EXIT_RUN_FAILED);
    let summary: NodeSummary | undefined;
    try {
      summary = def.summarize?.(outputs as never, params as never);
    } catch (error) {
      summary = { text: `(summary failed: ${errorMessage(error)})` };
    }
    for (const [port, dir] of outputDirs) {
      await writePortValue(dir, { type: def.outputs[port].type, node: nodeId, port, nodeType: def.type, key }, outputs[port]);
    }
    if (values.outputs !== undefined) {
      const dir = resolve(io.cwd, values.outputs);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, CACHE_KEY_FILE), `${JSON.stringify({ node: nodeId, type: def.type, key }, null, 2)}\n`);
    }
    emit({ type: 'node-done', runId, nodeId, ms, ...(summary ? { summary } : {}) });
    say(statusLine(nodeId, width, `done in ${Math.round(ms)} ms`, summary?.text));
    return EXIT_OK;
  } finally {
    const seen = new Set<unknown>(disposables);
    for (const d of disposables) d.dispose();
    for (const value of Object.values(outputs ?? {})) {
      if (!seen.has(value) && typeof (value as { dispose?: unknown })?.dispose === 'function') (value as { dispose(): void }).dispose();
    }
  }
}
