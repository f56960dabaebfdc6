/**
 * `pipeline-studio run-compiled <pipeline.yaml>`: a local runner for what `compile` writes
 * (KFP v2 IR or Argo Workflow), the way KFP's local runner runs a pipeline: every task is a
 * separate `run-node` process started from the task's own container args, placeholders
 * resolved the way the engine resolves them (parameters from the task's constants or
 * arguments, artifact paths to directories under a work folder), in dependency order, with
 * independent tasks in parallel. Proof that the compiled pipeline runs; same progress lines,
 * summary table and `--json` object as `run`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { RunEvent } from '../engine/events';
import { errorMessage } from '../engine/errors';
import { commandArgs } from './args';
import { describeFsError } from './files';
import { progressThrottle, statusLine, textTable } from './format';
import { type CliIo, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, type NodeReport, type RunReport, UsageError } from './run';

export const RUN_COMPILED_USAGE = `Usage: pipeline-studio run-compiled <pipeline.yaml> [options]

Runs a pipeline written by compile (Kubeflow Pipelines IR or Argo Workflow) on this
machine: each task is a separate run-node process started from the task's container
args, in dependency order, independent tasks in parallel.

Options:
  --work <dir>             keep the tasks' port directories in <dir>/<task>/<port>/
                           (default: a temporary folder, removed afterwards)
  --parallel <n>           run at most n tasks at once (default: the number of CPUs)
  --backend <name>         wasm (default), cpu or auto, for every task
  --json                   print one JSON object with the results on stdout (as run does)
  --quiet                  no progress lines on stderr
  -h, --help               show this help

Exit codes: 0 ok, 1 a task failed, 2 bad arguments or a pipeline file it cannot read.`;

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/pipeline-studio.js');

/** One task as this runner executes it. */
export interface LocalTask {
  name: string;
  nodeId: string;
  nodeType: string;
  /** Task names that must finish first. */
  after: string[];
  /** The run-node arguments with every placeholder resolved. */
  args: string[];
}

export interface LocalPipeline {
  kind: 'kfp' | 'argo';
  name: string;
  tasks: LocalTask[];
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where} is missing or not a mapping`);
  return value as Json;
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new UsageError(`${where} is not a list of strings`);
  return value as string[];
}

/** The command must be this CLI's run-node; returns its arguments after `run-node`. */
function runNodeArgsOf(container: Json, where: string): string[] {
  const command = strings(container.command ?? [], `${where}.command`);
  const args = strings(container.args ?? [], `${where}.args`);
  const all = [...command, ...args];
  if (!/(^|\/)pipeline-studio(\.js)?$/.test(all[0] ?? '') || all[1] !== 'run-node') {
    throw new UsageError(`${where} does not run "pipeline-studio run-node" (it runs: ${all.slice(0, 3).join(' ') || 'nothing'}): this runner only runs pipelines written by compile`);
  }
  return all.slice(2);
}

/** A parameter value as the engines render it into a command line: strings raw, everything else as JSON. */
function renderParameter(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function optionValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function localTask(name: string, after: Iterable<string>, args: string[]): LocalTask {
  return { name, nodeId: optionValue(args, '--node') ?? name, nodeType: optionValue(args, '--type') ?? '?', after: [...new Set(after)].sort(), args };
}

/** A KFP v2 IR document → local tasks; `work` holds <task>/<output artifact>/. */
export function kfpTasks(document: Json, work: string): LocalPipeline {
  const components = object(document.components, 'components');
  const executors = object(object(document.deploymentSpec, 'deploymentSpec').executors, 'deploymentSpec.executors');
  const dagTasks = object(object(object(document.root, 'root').dag, 'root.dag').tasks, 'root.dag.tasks');
  const tasks = Object.entries(dagTasks).map(([name, raw]) => {
    const where = `root.dag.tasks.${name}`;
    const task = object(raw, where);
    const componentName = String(object(task.componentRef, `${where}.componentRef`).name);
    const component = object(components[componentName], `components.${componentName}`);
    const executorLabel = String(component.executorLabel);
    const container = object(object(executors[executorLabel], `deploymentSpec.executors.${executorLabel}`).container, `deploymentSpec.executors.${executorLabel}.container`);
    const inputs = (task.inputs ?? {}) as Json;
    const parameters = (inputs.parameters ?? {}) as Record<string, { runtimeValue?: { constant?: unknown } }>;
    const artifacts = (inputs.artifacts ?? {}) as Record<string, { taskOutputArtifact?: { producerTask?: string; outputArtifactKey?: string } }>;
    const producers: string[] = [];
    const resolve = (placeholder: string, kind: string, what: string, key: string): string => {
      if (kind === 'inputs' && what === 'parameters') {
        const value = parameters[key]?.runtimeValue;
        if (!value || !('constant' in value)) throw new UsageError(`${where}: parameter "${key}" has no constant value`);
        return renderParameter(value.constant);
      }
      if (kind === 'inputs' && what === 'artifacts') {
        const ref = artifacts[key]?.taskOutputArtifact;
        if (!ref?.producerTask || !ref.outputArtifactKey) throw new UsageError(`${where}: input artifact "${key}" is not wired to a task output`);
        if (!(ref.producerTask in dagTasks)) throw new UsageError(`${where}: input artifact "${key}" comes from task "${ref.producerTask}", which the pipeline does not have`);
        producers.push(ref.producerTask);
        return join(work, ref.producerTask, ref.outputArtifactKey);
      }
      if (kind === 'outputs' && what === 'artifacts') return join(work, name, key);
      throw new UsageError(`${where}: placeholder ${placeholder} is not supported by this runner`);
    };
    const args = runNodeArgsOf(container, `deploymentSpec.executors.${executorLabel}.container`).map((arg) =>
      arg.replace(/\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\['([^']+)'\](?:\.path)?\}\}/g, (placeholder, kind: string, what: string, key: string) => resolve(placeholder, kind, what, key)),
    );
    const leftover = args.find((arg) => arg.includes('{{$.'));
    if (leftover) throw new UsageError(`${where}: placeholder in "${leftover}" is not supported by this runner`);
    return localTask(name, [...strings(task.dependentTasks ?? [], `${where}.dependentTasks`), ...producers], args);
  });
  return { kind: 'kfp', name: String(object(document.pipelineInfo, 'pipelineInfo').name), tasks };
}

/** An Argo Workflow → local tasks of its entrypoint DAG; `work` holds <task>/<output artifact>/. */
export function argoTasks(document: Json, work: string): LocalPipeline {
  const spec = object(document.spec, 'spec');
  const templates = new Map<string, Json>();
  for (const t of (spec.templates ?? []) as Json[]) templates.set(String(t.name), t);
  const entry = templates.get(String(spec.entrypoint));
  if (!entry) throw new UsageError(`spec.entrypoint "${String(spec.entrypoint)}" names no template`);
  const dag = object(entry.dag, `template ${String(entry.name)}: dag`);
  const dagTasks = (dag.tasks ?? []) as Json[];
  const names = new Set(dagTasks.map((t) => String(t.name)));
  const tasks = dagTasks.map((task) => {
    const name = String(task.name);
    const where = `dag task ${name}`;
    const template = templates.get(String(task.template));
    if (!template) throw new UsageError(`${where}: template "${String(task.template)}" does not exist`);
    const args_ = (task.arguments ?? {}) as { parameters?: { name: string; value?: unknown }[]; artifacts?: { name: string; from?: string }[] };
    const parameters = new Map((args_.parameters ?? []).map((p) => [p.name, p.value]));
    const producers: string[] = [];
    // Artifact paths inside the container → the local port directories.
    const paths: [string, string][] = [];
    const tInputs = (template.inputs ?? {}) as { artifacts?: { name: string; path: string }[] };
    for (const artifact of tInputs.artifacts ?? []) {
      const from = (args_.artifacts ?? []).find((a) => a.name === artifact.name)?.from ?? '';
      const match = /^\{\{tasks\.([^.]+)\.outputs\.artifacts\.([^}]+)\}\}$/.exec(from);
      if (!match) throw new UsageError(`${where}: input artifact "${artifact.name}" is not passed from a task output (from: ${from || 'nothing'})`);
      if (!names.has(match[1])) throw new UsageError(`${where}: input artifact "${artifact.name}" comes from task "${match[1]}", which the DAG does not have`);
      producers.push(match[1]);
      paths.push([artifact.path, join(work, match[1], match[2])]);
    }
    const tOutputs = (template.outputs ?? {}) as { artifacts?: { name: string; path: string }[] };
    for (const artifact of tOutputs.artifacts ?? []) paths.push([artifact.path, join(work, name, artifact.name)]);
    paths.sort((a, b) => b[0].length - a[0].length);
    const args = runNodeArgsOf(object(template.container, `template ${String(template.name)}: container`), `template ${String(template.name)}: container`).map((arg) => {
      let out = arg.replace(/\{\{inputs\.parameters\.([^}]+)\}\}/g, (_placeholder, key: string) => {
        if (!parameters.has(key)) throw new UsageError(`${where}: parameter "${key}" has no value`);
        return renderParameter(parameters.get(key));
      });
      for (const [from, to] of paths) out = out.split(from).join(to);
      return out;
    });
    const leftover = args.find((arg) => arg.includes('{{'));
    if (leftover) throw new UsageError(`${where}: placeholder in "${leftover}" is not supported by this runner`);
    return localTask(name, [...strings(task.dependencies ?? [], `${where}.dependencies`), ...producers], args);
  });
  const metadata = (document.metadata ?? {}) as Json;
  return { kind: 'argo', name: String(metadata.name ?? metadata.generateName ?? 'workflow').replace(/-$/, ''), tasks };
}

/** Reads a compiled pipeline (KFP IR or Argo Workflow YAML) into local tasks. */
export function localPipeline(text: string, work: string, file = 'the pipeline file'): LocalPipeline {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid YAML: ${errorMessage(error)}`);
  }
  const doc = object(document, file);
  const pipeline = doc.kind === 'Workflow' ? argoTasks(doc, work) : doc.pipelineInfo !== undefined && doc.root !== undefined ? kfpTasks(doc, work) : null;
  if (!pipeline) throw new UsageError(`${file} is neither a Kubeflow Pipelines spec (pipelineInfo, root) nor an Argo Workflow (kind: Workflow)`);
  const known = new Set(pipeline.tasks.map((t) => t.name));
  for (const task of pipeline.tasks) {
    const unknown = task.after.find((t) => !known.has(t));
    if (unknown) throw new UsageError(`${file}: task "${task.name}" waits for "${unknown}", which the pipeline does not have`);
  }
  return pipeline;
}

interface TaskOutcome {
  code: number;
  stderr: string;
}

/** Starts one run-node process; `onEvent` gets each JSON event line it prints. */
function startTask(task: LocalTask, extra: string[], cwd: string, onEvent: (event: RunEvent) => void, signal: AbortSignal): Promise<TaskOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'run-node', ...task.args, ...extra, '--events', '--quiet'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        try {
          onEvent(JSON.parse(line) as RunEvent);
        } catch {
          // Not an event line: ignore.
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      done({ code: -1, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code, killed) => {
      signal.removeEventListener('abort', onAbort);
      done({ code: code ?? (killed ? 130 : -1), stderr });
    });
  });
}

/** The message a failed task left: its last `error:` line, else its last line. */
function failureMessage(stderr: string, code: number): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('error: '));
  return (error ?? lines.at(-1) ?? `run-node exited with code ${code}`).replace(/^error: /, '');
}

export async function runCompiledCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      work: { type: 'string' },
      parallel: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    RUN_COMPILED_USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;

  let pipeline: LocalPipeline;
  let work: string;
  let parallel: number;
  const backend = values.backend ?? 'wasm';
  const temporary = values.work === undefined;
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the compiled pipeline file to run' : `Expected one pipeline file, got ${positionals.length}`);
    if (!['wasm', 'cpu', 'auto'].includes(backend)) throw new UsageError(`--backend ${backend}: choose wasm, cpu or auto`);
    parallel = values.parallel === undefined ? availableParallelism() : Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel ${values.parallel}: expected a whole number ≥ 1`);
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, positionals[0]), 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${positionals[0]}: ${describeFsError(error)}`);
    }
    work = temporary ? await mkdtemp(join(tmpdir(), 'pipeline-studio-run-')) : resolve(io.cwd, values.work!);
    pipeline = localPipeline(text, work, positionals[0]);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  await mkdir(work, { recursive: true });

  const say = (line: string) => {
    if (!values.quiet) io.stderr(`${line}\n`);
  };
  const width = Math.max(4, ...pipeline.tasks.map((t) => t.nodeId.length));
  const nodes: Record<string, NodeReport> = {};
  for (const task of pipeline.tasks) nodes[task.nodeId] = { type: task.nodeType, status: 'queued', cached: false, ms: null, summary: null };
  const throttled = progressThrottle(width);
  const onEvent = (event: RunEvent) => {
    if (!('nodeId' in event) || !nodes[event.nodeId]) return;
    const node = nodes[event.nodeId];
    switch (event.type) {
      case 'node-start':
        node.status = 'running';
        say(statusLine(event.nodeId, width, 'started', node.type));
        break;
      case 'node-progress': {
        const line = throttled(event);
        if (line !== undefined) say(line);
        break;
      }
      case 'node-done':
        Object.assign(node, { status: 'done', ms: Math.round(event.ms), summary: event.summary ?? null });
        say(statusLine(event.nodeId, width, `done in ${Math.round(event.ms)} ms`, event.summary?.text));
        break;
      case 'node-error':
        Object.assign(node, { status: 'error', error: event.message });
        say(statusLine(event.nodeId, width, 'FAILED', event.message));
        break;
    }
  };

  say(`running ${pipeline.tasks.length} tasks of ${pipeline.kind === 'kfp' ? 'Kubeflow pipeline' : 'Argo workflow'} ${pipeline.name} (${parallel} at a time) in ${work}`);
  const started = performance.now();
  const controller = new AbortController();
  const signal = io.signal ?? controller.signal;
  const state = new Map(pipeline.tasks.map((t) => [t.name, 'waiting' as 'waiting' | 'running' | 'done' | 'failed' | 'skipped']));
  const errors: Record<string, string> = {};
  const running = new Set<Promise<void>>();
  const extra = ['--backend', backend];
  for (;;) {
    if (signal.aborted) break;
    // Tasks downstream of a failure are skipped; the rest go on, as in run.
    for (const task of pipeline.tasks) {
      if (state.get(task.name) === 'waiting' && task.after.some((t) => state.get(t) === 'failed' || state.get(t) === 'skipped')) {
        state.set(task.name, 'skipped');
        nodes[task.nodeId].status = 'skipped';
        say(statusLine(task.nodeId, width, 'skipped', '(an upstream node failed)'));
      }
    }
    const ready = pipeline.tasks.filter((t) => state.get(t.name) === 'waiting' && t.after.every((a) => state.get(a) === 'done'));
    for (const task of ready.slice(0, Math.max(0, parallel - running.size))) {
      state.set(task.name, 'running');
      const job = startTask(task, extra, io.cwd, onEvent, signal).then(({ code, stderr }) => {
        if (code === 0 && nodes[task.nodeId].status === 'done') {
          state.set(task.name, 'done');
        } else {
          state.set(task.name, 'failed');
          const message = nodes[task.nodeId].error ?? failureMessage(stderr, code);
          errors[task.nodeId] = message;
          if (nodes[task.nodeId].status !== 'error') onEvent({ type: 'node-error', runId: '', nodeId: task.nodeId, message });
        }
        running.delete(job);
      });
      running.add(job);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  await Promise.all(running);
  const cancelled = signal.aborted;
  for (const task of pipeline.tasks) {
    if (state.get(task.name) === 'waiting') {
      nodes[task.nodeId].status = cancelled ? 'cancelled' : 'skipped';
      say(statusLine(task.nodeId, width, 'skipped', cancelled ? '(cancelled)' : '(waits for a task that never ran)'));
    }
  }
  const ok = !cancelled && Object.keys(errors).length === 0 && pipeline.tasks.every((t) => state.get(t.name) === 'done');
  const report: RunReport = {
    ok,
    cancelled,
    backend,
    backendReason: `each task is a run-node process (--backend ${backend})`,
    ms: Math.round(performance.now() - started),
    nodes,
  };
  if (temporary) await rm(work, { recursive: true, force: true });

  if (values.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const rows = Object.entries(nodes).map(([id, n]) => [id, n.type, n.status, n.ms === null ? '' : `${n.ms} ms`, n.error ?? n.summary?.text ?? '']);
    io.stdout(`${textTable(['node', 'type', 'status', 'time', 'summary'], rows)}\n`);
  }
  if (!ok) {
    const failures = Object.entries(errors).map(([id, message]) => `node "${id}" (${nodes[id].type}) failed: ${message}`);
    io.stderr(`error: ${cancelled ? 'the run was cancelled' : failures.join('\n       ') || 'the run failed'}\n`);
    return EXIT_RUN_FAILED;
  }
  if (!temporary) say(`outputs in ${work}/<task>/<port>/`);
  return EXIT_OK;
}
