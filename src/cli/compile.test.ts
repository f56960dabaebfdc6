import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARGO_WORKFLOW_DEFINITION, closedArgoSchema, loadArgoSchema, parseKfpSpec } from './cluster-specs';
import { compileCommand } from './compile';
import { PUBLIC_DIR } from './files';
import { EXIT_OK, EXIT_USAGE } from './run';

const EXAMPLES = ['iris-mlp', 'penguins-mlp', 'cars-regression', 'digits-cnn'];
const example = (name: string) => join(PUBLIC_DIR, 'examples', `${name}.json`);

async function compile(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await compileCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: PUBLIC_DIR });
  return { code, stdout, stderr };
}

interface KfpTask {
  componentRef: { name: string };
  dependentTasks?: string[];
  inputs?: { artifacts?: Record<string, { taskOutputArtifact: { producerTask: string; outputArtifactKey: string } }>; parameters?: Record<string, unknown> };
}
interface KfpComponent {
  executorLabel: string;
  inputDefinitions?: { artifacts?: Record<string, unknown>; parameters?: Record<string, unknown> };
  outputDefinitions?: { artifacts?: Record<string, unknown> };
}

/** Every reference in the IR points at something that exists: producers, outputs, components, executors, placeholders. */
function referenceProblems(spec: Record<string, unknown>, deployment: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const components = spec.components as Record<string, KfpComponent>;
  const executors = (deployment.executors ?? {}) as Record<string, { container: { args: string[] } }>;
  const tasks = (spec.root as { dag: { tasks: Record<string, KfpTask> } }).dag.tasks;
  for (const [name, task] of Object.entries(tasks)) {
    const component = components[task.componentRef.name];
    if (!component) {
      problems.push(`${name}: no component ${task.componentRef.name}`);
      continue;
    }
    const executor = executors[component.executorLabel];
    if (!executor) problems.push(`${name}: no executor ${component.executorLabel}`);
    for (const [key, ref] of Object.entries(task.inputs?.artifacts ?? {})) {
      const producer = tasks[ref.taskOutputArtifact.producerTask];
      if (!producer) problems.push(`${name}.${key}: no producer task ${ref.taskOutputArtifact.producerTask}`);
      else if (!components[producer.componentRef.name]?.outputDefinitions?.artifacts?.[ref.taskOutputArtifact.outputArtifactKey]) {
        problems.push(`${name}.${key}: ${ref.taskOutputArtifact.producerTask} has no output ${ref.taskOutputArtifact.outputArtifactKey}`);
      }
      if (!task.dependentTasks?.includes(ref.taskOutputArtifact.producerTask)) problems.push(`${name}: does not depend on ${ref.taskOutputArtifact.producerTask}`);
      if (!component.inputDefinitions?.artifacts?.[key]) problems.push(`${name}: component has no input artifact ${key}`);
    }
    for (const key of Object.keys(task.inputs?.parameters ?? {})) {
      if (!component.inputDefinitions?.parameters?.[key]) problems.push(`${name}: component has no parameter ${key}`);
    }
    for (const arg of executor?.container.args ?? []) {
      for (const [, kind, what, key] of arg.matchAll(/\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\['([^']+)'\]/g)) {
        const defs = kind === 'inputs' ? component.inputDefinitions : component.outputDefinitions;
        if (!(defs as Record<string, Record<string, unknown> | undefined> | undefined)?.[what]?.[key]) problems.push(`${name}: placeholder ${arg} names nothing`);
      }
    }
  }
  return problems;
}

describe('compile --to kfp', () => {
  it.each(EXAMPLES)('%s parses against the real pipeline_spec.proto, every reference resolves', async (name) => {
    const { code, stdout, stderr } = await compile([example(name), '--to', 'kfp']);
    expect(code, stderr).toBe(EXIT_OK);
    const document = parse(stdout) as Record<string, unknown>;
    expect(document.schemaVersion).toBe('2.1.0');
    const { spec, deployment } = await parseKfpSpec(document);
    expect(referenceProblems(spec, deployment)).toEqual([]);
    const graph = JSON.parse(await readFile(example(name), 'utf8')) as { graph: { nodes: { id: string }[]; edges: unknown[] } };
    const tasks = (spec.root as { dag: { tasks: Record<string, KfpTask & { cachingOptions: { enableCache: boolean } }> } }).dag.tasks;
    expect(Object.keys(tasks).sort()).toEqual(graph.graph.nodes.map((n) => n.id).sort());
    const wired = Object.values(tasks).reduce((n, t) => n + Object.keys(t.inputs?.artifacts ?? {}).length, 0);
    expect(wired).toBe(graph.graph.edges.length);
    expect(Object.values(tasks).every((t) => t.cachingOptions.enableCache)).toBe(true);
  });

  it('the check has teeth: an unknown field, a wrong enum and a dangling producer are caught', async () => {
    const { stdout } = await compile([example('iris-mlp'), '--to', 'kfp']);
    const unknownField = parse(stdout) as { root: { dag: { tasks: Record<string, Record<string, unknown>> } } };
    unknownField.root.dag.tasks.split.cachingOption = { enableCache: true };
    await expect(parseKfpSpec(unknownField)).rejects.toThrow(/unknown field: "cachingOption"/);
    const badEnum = parse(stdout) as { components: Record<string, { inputDefinitions: { parameters: Record<string, { parameterType: string }> } }> };
    badEnum.components['comp-split'].inputDefinitions.parameters.test.parameterType = 'FLOAT';
    await expect(parseKfpSpec(badEnum)).rejects.toThrow();
    const dangling = parse(stdout) as { root: { dag: { tasks: Record<string, KfpTask> } } };
    dangling.root.dag.tasks.split.inputs!.artifacts!.data.taskOutputArtifact.producerTask = 'rolez';
    const parsed = await parseKfpSpec(dangling);
    expect(referenceProblems(parsed.spec, parsed.deployment)).toEqual(['split.data: no producer task rolez', 'split: does not depend on rolez']);
  });

  it('node params are task parameters; --set and --image reach the spec', async () => {
    const { stdout } = await compile([example('iris-mlp'), '--to', 'kfp', '--set', 'train.epochs=50', '--image', 'registry.example.com/ml/pipeline-studio:1.2']);
    const document = parse(stdout) as { root: { dag: { tasks: Record<string, KfpTask> } }; deploymentSpec: { executors: Record<string, { container: { image: string; args: string[] } }> } };
    expect(document.root.dag.tasks.train.inputs!.parameters!.epochs).toEqual({ runtimeValue: { constant: 50 } });
    expect(document.root.dag.tasks.split.inputs!.parameters!.test).toEqual({ runtimeValue: { constant: 0.2 } });
    expect(document.root.dag.tasks.spec.inputs!.parameters!.layers).toEqual({ runtimeValue: { constant: [64, 32] } });
    const split = document.deploymentSpec.executors['exec-split'].container;
    expect(split.image).toBe('registry.example.com/ml/pipeline-studio:1.2');
    expect(split.args).toEqual(expect.arrayContaining(['run-node', '--node', 'split', '--type', 'prep.split', '--graph-seed', '42', "test={{$.inputs.parameters['test']}}", "data={{$.inputs.artifacts['data'].path}}", "data={{$.outputs.artifacts['data'].path}}"]));
  });
});

describe('compile --to argo', () => {
  let validate: ValidateFunction;
  let validateClosed: ValidateFunction;
  beforeAll(async () => {
    const schema = await loadArgoSchema();
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(schema, 'argo');
    ajv.addSchema(closedArgoSchema(schema), 'argo-closed');
    validate = ajv.getSchema(`argo#/definitions/${ARGO_WORKFLOW_DEFINITION}`)!;
    validateClosed = ajv.getSchema(`argo-closed#/definitions/${ARGO_WORKFLOW_DEFINITION}`)!;
  });

  it.each(EXAMPLES)("%s validates against Argo's published JSON schema (and with unknown fields closed)", async (name) => {
    const { code, stdout, stderr } = await compile([example(name), '--to', 'argo']);
    expect(code, stderr).toBe(EXIT_OK);
    const workflow = parse(stdout) as { kind: string; spec: { entrypoint: string; templates: { name: string; dag?: { tasks: { name: string; dependencies?: string[]; arguments?: { artifacts?: { from: string }[] } }[] } }[] } };
    expect(validate(workflow), JSON.stringify(validate.errors)).toBe(true);
    expect(validateClosed(workflow), JSON.stringify(validateClosed.errors)).toBe(true);
    expect(workflow.kind).toBe('Workflow');
    const dag = workflow.spec.templates.find((t) => t.name === workflow.spec.entrypoint)!.dag!;
    const names = new Set(dag.tasks.map((t) => t.name));
    for (const task of dag.tasks) {
      for (const artifact of task.arguments?.artifacts ?? []) {
        const producer = /^\{\{tasks\.([a-z0-9-]+)\.outputs\.artifacts\.[a-zA-Z0-9_-]+\}\}$/.exec(artifact.from)?.[1];
        expect(producer && names.has(producer) && task.dependencies?.includes(producer), `${task.name}: ${artifact.from}`).toBe(true);
      }
    }
  });

  it('the schema check has teeth: a wrong type and (closed) an unknown field are caught', async () => {
    const { stdout } = await compile([example('iris-mlp'), '--to', 'argo']);
    const wrongType = parse(stdout) as { spec: { templates: { container?: { args: unknown } }[] } };
    wrongType.spec.templates[1].container!.args = 'run-node --node data';
    expect(validate(wrongType)).toBe(false);
    const unknownField = parse(stdout) as { spec: { templates: Record<string, unknown>[] } };
    unknownField.spec.templates[1].retryStrateg = { limit: 2 };
    expect(validateClosed(unknownField)).toBe(false);
  });
});

describe('compile: what cannot run on a cluster is refused, naming the node', () => {
  it('a file picked in the browser (no path)', async () => {
    const { code, stderr } = await compile([example('iris-mlp'), '--to', 'kfp', '--set', 'data.path=', '--set', 'data.token=picked-1']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain('node "data" (data.file) reads a file picked in the browser, which a cluster task cannot see: give it a path or URL (--set data.path=<path>)');
  });

  it('deploy and monitor nodes, unless --target leaves them out', async () => {
    const graph = join(PUBLIC_DIR, '..', 'src', 'cli', 'testdata', 'iris-deploy.json');
    const refused = await compile([graph, '--to', 'argo']);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toMatch(/node "deploy" \(deploy\.endpoint\) works on the app's endpoints, which a cluster task does not have/);
    const targeted = await compile([graph, '--to', 'argo', '--target', 'evaluate']);
    expect(targeted.code, targeted.stderr).toBe(EXIT_OK);
  });

  it('bad arguments', async () => {
    expect((await compile([example('iris-mlp')])).stderr).toContain('error: Missing --to kfp|argo');
    expect((await compile([example('iris-mlp'), '--to', 'airflow'])).stderr).toContain('error: --to airflow: choose kfp or argo');
    const missing = await compile(['nope.json', '--to', 'kfp']);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toContain('error: Cannot read graph file nope.json: no such file');
  });
});
