/**
 * The compiled pipelines really run: run-compiled starts every task as its own run-node
 * process from the compiled container args and must reach the numbers `run` reaches.
 * One test per example and target (each spawns one process per node); `run` once per example.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCommand } from './compile';
import { PUBLIC_DIR } from './files';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, type RunReport, runCommand } from './run';
import { runCompiledCommand } from './run-compiled';

const example = (name: string) => join(PUBLIC_DIR, 'examples', `${name}.json`);

type Command = (argv: string[], io: { stdout(t: string): void; stderr(t: string): void; cwd: string }) => Promise<number>;

async function call(command: Command, args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await command(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** What must agree between run and run-compiled: every node's status and summary (text and metrics). */
function outcome(report: RunReport) {
  return Object.fromEntries(Object.entries(report.nodes).map(([id, n]) => [id, { type: n.type, status: n.status, summary: n.summary }]));
}

// Fewer epochs than the examples ship with keep each test short (the override goes through
// compile like any --set). Each test starts 7–9 run-node processes (seconds each, mostly
// loading modules): 27–90 s were measured on 2 cores at load averages of 20–29, hence the
// longer limit for these tests only.
const SETS = ['--set', 'train.epochs=30'];
const PROCESS_HEAVY_MS = 120_000;

describe.each(['iris-mlp', 'penguins-mlp', 'cars-regression'])('%s: run-compiled gives the evaluation metrics of run (same graph, same seed)', (name) => {
  let work: string;
  let expected: RunReport;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `run-compiled-${name}-`));
    const run = await call(runCommand, [example(name), ...SETS, '--json', '--quiet'], work);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expected = JSON.parse(run.stdout) as RunReport;
  });

  it.each(['kfp', 'argo'])('compiled for %s', async (target) => {
    const file = join(work, `${target}.yaml`);
    const compiled = await call(compileCommand, [example(name), ...SETS, '--to', target, '-o', file], work);
    expect(compiled.code, compiled.stderr).toBe(EXIT_OK);
    const result = await call(runCompiledCommand, [file, '--json', '--quiet', '--work', join(work, target)], work);
    expect(result.code, result.stderr).toBe(EXIT_OK);
    const report = JSON.parse(result.stdout) as RunReport;
    const metrics = expected.nodes.evaluate.summary?.metrics;
    expect(metrics && Object.keys(metrics).length).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
    expect(report.nodes.evaluate.summary?.metrics).toEqual(metrics);
    expect(outcome(report)).toEqual(outcome(expected));
    // The metrics artifact the engine would store for the task says the same.
    const artifact = JSON.parse(await readFile(join(work, target, 'evaluate', 'metrics', 'value.json'), 'utf8')) as { scalars: Record<string, number> };
    expect(artifact.scalars).toEqual(metrics);
  }, PROCESS_HEAVY_MS);
});

describe('run-compiled: failures and bad files', () => {
  it('a failing task fails the run (exit 1) and the tasks after it are skipped', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-compiled-fail-'));
    const file = join(work, 'argo.yaml');
    expect((await call(compileCommand, [example('iris-mlp'), '--to', 'argo', '--set', 'data.path=nowhere.csv', '-o', file], work)).code).toBe(EXIT_OK);
    const { code, stdout, stderr } = await call(runCompiledCommand, [file, '--json', '--quiet', '--parallel', '1'], work);
    expect(code).toBe(EXIT_RUN_FAILED);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.ok).toBe(false);
    expect(report.nodes.data).toMatchObject({ status: 'error', error: 'Cannot read nowhere.csv: no such file (looked in ' + join(work, 'nowhere.csv') + ')' });
    for (const id of ['roles', 'split', 'scale', 'train', 'evaluate']) expect(report.nodes[id].status, id).toBe('skipped');
    expect(stderr).toContain('error: node "data" (data.file) failed: Cannot read nowhere.csv: no such file');
  });

  it('a file that is not a compiled pipeline, or whose task runs something else, is refused (exit 2)', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-compiled-bad-'));
    await writeFile(join(work, 'not.yaml'), 'apiVersion: v1\nkind: ConfigMap\n');
    const notPipeline = await call(runCompiledCommand, [join(work, 'not.yaml')], work);
    expect(notPipeline.code).toBe(EXIT_USAGE);
    expect(notPipeline.stderr).toContain('is neither a Kubeflow Pipelines spec (pipelineInfo, root) nor an Argo Workflow (kind: Workflow)');
    const compiled = await call(compileCommand, [example('iris-mlp'), '--to', 'kfp'], work);
    await writeFile(join(work, 'other.yaml'), compiled.stdout.replace('- pipeline-studio\n', '- python\n'));
    const other = await call(runCompiledCommand, [join(work, 'other.yaml')], work);
    expect(other.code).toBe(EXIT_USAGE);
    expect(other.stderr).toMatch(/does not run "pipeline-studio run-node" \(it runs: python run-node --node\): this runner only runs pipelines written by compile/);
    const missing = await call(runCompiledCommand, [join(work, 'nope.yaml')], work);
    expect(missing.stderr).toContain('no such file');
  });
});
