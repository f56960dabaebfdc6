/**
 * `pipeline-studio compile <graph.json> --to kfp|argo`: the graph as a pipeline for the
 * cluster engine a team already runs. One task per node, each running the CLI image with
 * `run-node` (task form: node type, graph seed and params as arguments, inputs and outputs
 * as artifact paths); artifacts carry the port directories between tasks.
 *   kfp:  a KFP v2 pipeline spec (IR YAML, schemaVersion 2.1.0), for Kubeflow Pipelines and Vertex AI Pipelines
 *   argo: an Argo Workflow with one `dag` template
 * Nodes that only make sense in the app (a file picked in the browser, the browser's
 * dataset store, endpoints) are refused, naming the node.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Graph } from '../engine/graph';
import type { AnyNodeSpec } from '../engine/node';
import { declaredParams, resolveNodeParams } from '../engine/node-params';
import type { ParamSpec } from '../engine/params';
import { planRun } from '../engine/plan';
import type { PortType } from '../engine/ports';
import type { NodeRegistry } from '../engine/registry';
import { validateGraph } from '../engine/validate';
import { createRegistry } from '../nodes';
import { commandArgs, withUsageErrors } from './args';
import { taskParamText } from './run-node';
import { applyOverrides, type CliIo, EXIT_OK, formatProblem, loadGraph, UsageError } from './run';
import packageJson from '../../package.json' with { type: 'json' };

export const DEFAULT_IMAGE = `pipeline-studio:${packageJson.version}`;
export const KFP_SCHEMA_VERSION = '2.1.0';
export const TARGETS = ['kfp', 'argo'] as const;
export type CompileTarget = (typeof TARGETS)[number];

export const COMPILE_USAGE = `Usage: pipeline-studio compile <graph.json> --to kfp|argo [options]

Compiles a graph file into a pipeline for a cluster engine: one task per node, each
running the CLI image with run-node; artifacts carry port values between tasks.
  kfp   Kubeflow Pipelines v2 / Vertex AI Pipelines spec (IR YAML)
  argo  Argo Workflow (one DAG template)

Options:
  --to <kfp|argo>          what to compile to (required)
  -o, --output <file>      write to this file (default: stdout)
  --image <name:tag>       the CLI image the tasks run (default ${DEFAULT_IMAGE})
  --set <node>.<param>=<value>
                           override a param before compiling (repeatable, as in run)
  --target <node>          compile only this node and what it needs (repeatable)
  -h, --help               show this help

Run the result here with: pipeline-studio run-compiled <file>

Exit codes: 0 ok, 2 bad arguments, a bad graph, or a node that cannot run on a cluster.`;

/** One node as a cluster task. */
export interface CompiledTask {
  /** Task name: the node id made DNS-safe (lower case, digits, '-'), unique in the pipeline. */
  name: string;
  nodeId: string;
  def: AnyNodeSpec;
  /** Declared params, migrated and with defaults filled in. */
  params: Record<string, unknown>;
  /** Connected input ports and the task/port that feeds each. */
  inputs: { port: string; type: PortType; fromTask: string; fromPort: string }[];
  outputs: { port: string; type: PortType }[];
  /** Task names this task waits for. */
  after: string[];
}

export interface CompiledGraph {
  name: string;
  graph: Graph;
  image: string;
  tasks: CompiledTask[];
  warnings: string[];
}

/** DNS-1123 label: what KFP task names, Argo template names and Kubernetes pod names accept. */
export function dnsName(text: string, fallback = 'task'): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return /^[a-z]/.test(name) ? name : `${fallback}-${name}`.replace(/-+$/, '');
}

/** Why a node cannot run as a cluster task, or null when it can. */
function browserOnly(nodeId: string, def: AnyNodeSpec, params: Record<string, unknown>): string | null {
  const where = `node "${nodeId}" (${def.type})`;
  if (def.type === 'data.file' && String(params.path ?? '').trim() === '') {
    return `${where} reads a file picked in the browser, which a cluster task cannot see: give it a path or URL (--set ${nodeId}.path=<path>)`;
  }
  if (def.type === 'data.stored') return `${where} reads this browser's dataset store, which a cluster task cannot see: use a File or URL node instead`;
  if (def.stage === 'deploy' || def.stage === 'monitor') {
    return `${where} works on the app's endpoints, which a cluster task does not have: compile without it (--target <node>) and serve the model with pipeline-studio serve`;
  }
  return null;
}

/** The graph as tasks in dependency order; throws UsageError naming every node that cannot be compiled. */
export function compileGraph(graph: Graph, registry: NodeRegistry, options: { image?: string; targets?: readonly string[] } = {}): CompiledGraph {
  const targets = options.targets?.length ? options.targets : undefined;
  for (const target of targets ?? []) {
    if (!graph.nodes.some((n) => n.id === target)) throw new UsageError(`--target ${target}: the graph has no node "${target}"`);
  }
  const errors = validateGraph(graph, registry, { targets }).filter((p) => p.level === 'error');
  if (errors.length > 0) {
    throw new UsageError(`The graph has ${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${errors.map((p) => `  - ${formatProblem(p, graph)}`).join('\n')}`);
  }
  const plan = planRun(graph, { targets });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const nodeId of plan.order) {
    const base = dnsName(nodeId);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    names.set(nodeId, name);
  }
  const refusals: string[] = [];
  const warnings: string[] = [];
  const tasks: CompiledTask[] = [];
  for (const nodeId of plan.order) {
    const node = byId.get(nodeId)!;
    const def = registry.get(node.type)!;
    const resolved = resolveNodeParams(node, def);
    if (!resolved.ok) {
      refusals.push(`node "${nodeId}": params ${resolved.message}`);
      continue;
    }
    const params = declaredParams(def, resolved.params);
    const refusal = browserOnly(nodeId, def, params);
    if (refusal) {
      refusals.push(refusal);
      continue;
    }
    if (def.type === 'data.file') {
      const path = String(params.path).trim();
      if (!/^https?:\/\//i.test(path) && !/^samples\//.test(path)) {
        warnings.push(`node "${nodeId}" reads ${path}: that path must exist inside the task's container (mount a volume there, or use an http(s) URL)`);
      }
    }
    const incoming = graph.edges.filter((e) => e.to.node === nodeId && names.has(e.from.node));
    tasks.push({
      name: names.get(nodeId)!,
      nodeId,
      def,
      params,
      inputs: incoming.map((e) => ({ port: e.to.port, type: def.inputs[e.to.port].type, fromTask: names.get(e.from.node)!, fromPort: e.from.port })),
      outputs: Object.entries(def.outputs).map(([port, spec]) => ({ port, type: spec.type })),
      after: [...new Set(incoming.map((e) => names.get(e.from.node)!))].sort(),
    });
  }
  if (refusals.length > 0) throw new UsageError(`Cannot compile for a cluster:\n${refusals.map((r) => `  - ${r}`).join('\n')}`);
  return { name: dnsName(graph.name || graph.id, 'pipeline'), graph, image: options.image ?? DEFAULT_IMAGE, tasks, warnings };
}

/** The run-node arguments of a task; `param`, `input` and `output` say how each value is written (a placeholder). */
export function runNodeArgs(task: CompiledTask, graph: Graph, refs: { param(name: string): string; input(port: string): string; output(port: string): string }): string[] {
  const args = ['run-node', '--node', task.nodeId, '--type', task.def.type, '--graph-seed', String(graph.seed), '--graph-id', graph.id];
  for (const name of Object.keys(task.params)) args.push('--param', `${name}=${refs.param(name)}`);
  for (const input of task.inputs) args.push('--input', `${input.port}=${refs.input(input.port)}`);
  for (const output of task.outputs) args.push('--output', `${output.port}=${refs.output(output.port)}`);
  return args;
}

/** A param value as pipeline parameter text (what `run-node --param` reads back). */
export function paramText(task: CompiledTask, name: string): string {
  return taskParamText(task.def.params[name], task.params[name]);
}

// ---------------------------------------------------------------- KFP v2 IR

const KFP_ARTIFACT_TYPES: Record<PortType, string> = {
  table: 'system.Dataset',
  dataset: 'system.Dataset',
  model: 'system.Model',
  metrics: 'system.Metrics',
  'model-spec': 'system.Artifact',
  endpoint: 'system.Artifact',
};

function kfpParameterType(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number':
      return 'NUMBER_DOUBLE';
    case 'int':
      return 'NUMBER_INTEGER';
    case 'boolean':
      return 'BOOLEAN';
    case 'list':
    case 'columns':
      return 'LIST';
    default:
      // text, select, column, and json (as JSON text: a json param may hold any value).
      return 'STRING';
  }
}

function kfpConstant(spec: ParamSpec, value: unknown): unknown {
  return spec.kind === 'json' ? JSON.stringify(value) : value;
}

const artifactType = (type: PortType) => ({ artifactType: { schemaTitle: KFP_ARTIFACT_TYPES[type], schemaVersion: '0.0.1' } });

/** The KFP v2 PipelineSpec (as its JSON mapping; written out as YAML). */
export function toKfp(compiled: CompiledGraph): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  const executors: Record<string, unknown> = {};
  const tasks: Record<string, unknown> = {};
  for (const task of compiled.tasks) {
    const component = `comp-${task.name}`;
    const executor = `exec-${task.name}`;
    const parameters = Object.fromEntries(Object.keys(task.params).map((name) => [name, { parameterType: kfpParameterType(task.def.params[name]) }]));
    const inputArtifacts = Object.fromEntries(task.inputs.map((input) => [input.port, artifactType(input.type)]));
    components[component] = {
      executorLabel: executor,
      ...(Object.keys(parameters).length || task.inputs.length
        ? { inputDefinitions: { ...(task.inputs.length ? { artifacts: inputArtifacts } : {}), ...(Object.keys(parameters).length ? { parameters } : {}) } }
        : {}),
      outputDefinitions: { artifacts: Object.fromEntries(task.outputs.map((output) => [output.port, artifactType(output.type)])) },
    };
    executors[executor] = {
      container: {
        image: compiled.image,
        command: ['pipeline-studio'],
        args: runNodeArgs(task, compiled.graph, {
          param: (name) => `{{$.inputs.parameters['${name}']}}`,
          input: (port) => `{{$.inputs.artifacts['${port}'].path}}`,
          output: (port) => `{{$.outputs.artifacts['${port}'].path}}`,
        }),
      },
    };
    tasks[task.name] = {
      taskInfo: { name: task.nodeId },
      componentRef: { name: component },
      ...(task.after.length ? { dependentTasks: task.after } : {}),
      inputs: {
        ...(task.inputs.length
          ? { artifacts: Object.fromEntries(task.inputs.map((input) => [input.port, { taskOutputArtifact: { producerTask: input.fromTask, outputArtifactKey: input.fromPort } }])) }
          : {}),
        ...(Object.keys(task.params).length
          ? { parameters: Object.fromEntries(Object.entries(task.params).map(([name, value]) => [name, { runtimeValue: { constant: kfpConstant(task.def.params[name], value) } }])) }
          : {}),
      },
      cachingOptions: { enableCache: true },
    };
  }
  return {
    pipelineInfo: { name: compiled.name, description: `${compiled.graph.name} (compiled by Pipeline Studio from graph ${compiled.graph.id})` },
    sdkVersion: `pipeline-studio-${packageJson.version}`,
    schemaVersion: KFP_SCHEMA_VERSION,
    components,
    deploymentSpec: { executors },
    root: { dag: { tasks } },
  };
}

// ---------------------------------------------------------------- Argo Workflow

export const ARGO_INPUT_DIR = '/tmp/pipeline-studio/inputs';
export const ARGO_OUTPUT_DIR = '/tmp/pipeline-studio/outputs';

/** An Argo Workflow with one DAG template (`pipeline`) and one container template per task. */
export function toArgo(compiled: CompiledGraph): Record<string, unknown> {
  const templates: Record<string, unknown>[] = [];
  const dagTasks: Record<string, unknown>[] = [];
  const used = new Set(compiled.tasks.map((t) => t.name));
  const entry = used.has('pipeline') ? 'pipeline-dag' : 'pipeline';
  for (const task of compiled.tasks) {
    const names = Object.keys(task.params);
    templates.push({
      name: task.name,
      ...(names.length || task.inputs.length
        ? {
            inputs: {
              ...(names.length ? { parameters: names.map((name) => ({ name })) } : {}),
              ...(task.inputs.length ? { artifacts: task.inputs.map((input) => ({ name: input.port, path: `${ARGO_INPUT_DIR}/${input.port}` })) } : {}),
            },
          }
        : {}),
      outputs: { artifacts: task.outputs.map((output) => ({ name: output.port, path: `${ARGO_OUTPUT_DIR}/${output.port}` })) },
      container: {
        image: compiled.image,
        command: ['pipeline-studio'],
        args: runNodeArgs(task, compiled.graph, {
          param: (name) => `{{inputs.parameters.${name}}}`,
          input: (port) => `${ARGO_INPUT_DIR}/${port}`,
          output: (port) => `${ARGO_OUTPUT_DIR}/${port}`,
        }),
      },
    });
    dagTasks.push({
      name: task.name,
      template: task.name,
      ...(task.after.length ? { dependencies: task.after } : {}),
      ...(names.length || task.inputs.length
        ? {
            arguments: {
              ...(names.length ? { parameters: names.map((name) => ({ name, value: paramText(task, name) })) } : {}),
              ...(task.inputs.length ? { artifacts: task.inputs.map((input) => ({ name: input.port, from: `{{tasks.${input.fromTask}.outputs.artifacts.${input.fromPort}}}` })) } : {}),
            },
          }
        : {}),
    });
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${compiled.name}-`,
      annotations: { 'pipeline-studio/graph': compiled.graph.id, 'pipeline-studio/graph-name': compiled.graph.name },
    },
    spec: { entrypoint: entry, templates: [{ name: entry, dag: { tasks: dagTasks } }, ...templates] },
  };
}

export function compiledYaml(compiled: CompiledGraph, target: CompileTarget): string {
  const document = target === 'kfp' ? toKfp(compiled) : toArgo(compiled);
  const header = `# Compiled by Pipeline Studio ${packageJson.version} from "${compiled.graph.name}" (${compiled.graph.id}); run here with: pipeline-studio run-compiled <this file>\n`;
  return header + stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

export async function compileCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      to: { type: 'string' },
      output: { type: 'string', short: 'o' },
      image: { type: 'string' },
      set: { type: 'string', multiple: true },
      target: { type: 'string', multiple: true },
    },
    COMPILE_USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  return withUsageErrors(io, async () => {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the graph file to compile' : `Expected one graph file, got ${positionals.length}: ${positionals.join(' ')}`);
    const target = values.to;
    if (!TARGETS.includes(target as CompileTarget)) throw new UsageError(target === undefined ? 'Missing --to kfp|argo' : `--to ${target}: choose kfp or argo`);
    const image = values.image ?? DEFAULT_IMAGE;
    if (!/^[a-z0-9][a-z0-9._/:@-]*$/i.test(image)) throw new UsageError(`--image ${image}: not an image reference (like registry.example.com/team/pipeline-studio:0.1.0)`);
    const registry = createRegistry();
    const loaded = await loadGraph(positionals[0], io.cwd, registry);
    for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
    const graph = applyOverrides(loaded.graph, registry, values.set ?? []);
    const compiled = compileGraph(graph, registry, { image, targets: values.target });
    for (const warning of compiled.warnings) io.stderr(`warning: ${warning}\n`);
    const text = compiledYaml(compiled, target as CompileTarget);
    if (values.output !== undefined) {
      const file = resolve(io.cwd, values.output);
      await writeFile(file, text);
      io.stderr(`compiled ${compiled.tasks.length} tasks for ${target === 'kfp' ? 'Kubeflow Pipelines' : 'Argo Workflows'} into ${file}\n`);
    } else {
      io.stdout(text);
    }
    return EXIT_OK;
  });
}
