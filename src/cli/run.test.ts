import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importModelZip } from '../ml/zip';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, type RunReport, runCommand } from './run';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, 'testdata');
const bin = resolve(here, '../../bin/pipeline-studio.js');

/** Runs the command in this process, capturing its output. */
async function run(args: string[], cwd = testdata) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** Runs the real executable, as a user would. */
function spawnBin(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? -1) : 0;
      done({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

describe('pipeline-studio run (in process)', () => {
  it('runs a graph and prints a summary table', async () => {
    const { code, stdout, stderr } = await run(['iris-table.json', '--backend', 'cpu']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/^node\s+type\s+status\s+time\s+summary$/m);
    expect(stdout).toMatch(/^iris\s+data\.sample\s+done\s+\d+ ms\s+iris: 150 rows × 5 cols$/m);
    expect(stderr).toMatch(/^\[\d\d:\d\d:\d\d\] iris started data\.sample$/m);
    expect(stderr).toMatch(/^backend: cpu/m);
  });

  it('--set overrides a param and --json reports every node', async () => {
    const started = performance.now();
    const { code, stdout } = await run(['iris-table.json', '--json', '--quiet', '--backend', 'cpu', '--set', 'iris.name=penguins']);
    const wall = performance.now() - started;
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(stdout) as RunReport;
    expect(report).toMatchObject({ ok: true, backend: 'cpu', nodes: { iris: { type: 'data.sample', status: 'done', cached: false } } });
    expect(report.nodes.iris.summary?.text).toBe('penguins: 344 rows × 7 cols');
    // The node's duration, not a timestamp: between 0 and the command's wall time.
    expect(report.nodes.iris.ms).toBeGreaterThanOrEqual(0);
    expect(report.nodes.iris.ms).toBeLessThanOrEqual(Math.ceil(wall) + 1);
  });

  it.each([
    [['iris.name=mnist'], /--set iris\.name=mnist: param "name" of node "iris" must be one of iris, penguins/],
    [['nope.name=iris'], /the graph has no node "nope" \(nodes: iris\)/],
    [['iris.colour=red'], /node "iris" \(data\.sample\) has no param "colour" \(params: name\)/],
    [['iris=penguins'], /expected <node>\.<param>=<value>/],
  ])('--set %j is refused with exit 2', async (sets, message) => {
    const { code, stderr } = await run(['iris-table.json', ...sets.flatMap((s) => ['--set', s])]);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(message);
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await run([])).code).toBe(EXIT_USAGE);
    expect((await run(['a.json', 'b.json'])).stderr).toMatch(/Expected one graph file, got 2/);
    expect((await run(['iris-table.json', '--backend', 'webgl'])).stderr).toMatch(/choose wasm, cpu or auto/);
    const unknown = await run(['iris-table.json', '--frobnicate']);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    expect((await run(['iris-table.json', '--target', 'ghost'])).stderr).toMatch(/--target ghost: the graph has no node "ghost"/);
  });

  it('refuses a missing or malformed graph file with exit 2 and a located message', async () => {
    const missing = await run(['no-such-graph.json']);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/Cannot read graph file no-such-graph\.json: no such file/);

    const dir = await mkdtemp(join(tmpdir(), 'ps-cli-'));
    await writeFile(join(dir, 'broken.json'), '{\n  "format": "pipeline-studio.graph",\n  "version": 1,\n  "graph": {\n');
    const broken = await run(['broken.json'], dir);
    expect(broken.code).toBe(EXIT_USAGE);
    expect(broken.stderr).toMatch(/broken\.json is not a valid graph file:\n {2}not valid JSON at line \d+, column \d+/);

    await writeFile(join(dir, 'wrong-shape.json'), JSON.stringify({ format: 'pipeline-studio.graph', version: 1, graph: { id: 'g', name: 'g', seed: 1, nodes: 'many', edges: [] }, layout: { positions: {} } }));
    const wrong = await run(['wrong-shape.json'], dir);
    expect(wrong.code).toBe(EXIT_USAGE);
    expect(wrong.stderr).toMatch(/graph\.nodes/);
  });

  it('refuses a graph with validation errors with exit 2, naming the node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ps-cli-'));
    const graph = {
      format: 'pipeline-studio.graph',
      version: 1,
      graph: { id: 'g', name: 'g', seed: 1, nodes: [{ id: 'empty', type: 'data.file', version: 1, params: { path: '' } }], edges: [] },
      layout: { positions: { empty: { x: 0, y: 0 } } },
    };
    await writeFile(join(dir, 'invalid.json'), JSON.stringify(graph));
    const { code, stderr } = await run(['invalid.json'], dir);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/The graph has 1 problem:\n {2}- node "empty" \(data\.file\), param "path": choose a file/);
  });

  it('exits 1 when a node fails, naming it, while independent nodes still run', async () => {
    const { code, stdout, stderr } = await run(['missing-file.json', '--json', '--backend', 'cpu']);
    expect(code).toBe(EXIT_RUN_FAILED);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.ok).toBe(false);
    expect(report.nodes.load).toMatchObject({ status: 'error', type: 'data.file' });
    expect(report.nodes.load.error).toMatch(/Cannot read does-not-exist\.csv: no such file/);
    expect(report.nodes.iris.status).toBe('done');
    expect(stderr).toMatch(/error: node "load" \(data\.file\) failed: .*does-not-exist\.csv/);
  });
});

describe('pipeline-studio run (training graph)', () => {
  it('trains, reports evaluation metrics in --json and writes model zips', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ps-cli-models-'));
    const { code, stdout, stderr } = await run(['iris-train.json', '--json', '--backend', 'cpu', '--set', 'train.epochs=15', '--save-models', dir]);
    expect(stderr).toMatch(/train\s+running \d+% epoch \d+\/15/);
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(stdout) as RunReport;
    expect(Object.keys(report.nodes).sort()).toEqual(['eval', 'iris', 'mlp', 'roles', 'split', 'train']);
    const metrics = report.nodes.eval.summary?.metrics;
    expect(metrics?.accuracy).toBeGreaterThan(0.5);
    expect(metrics?.accuracy).toBeLessThanOrEqual(1);
    expect(report.nodes.train.summary?.text).toMatch(/15 epochs/);
    expect(report.savedModels).toEqual([join(dir, 'train.zip')]);
    const artifact = importModelZip(new Uint8Array(await readFile(join(dir, 'train.zip'))));
    expect(artifact.target.classes).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('--target runs only the needed part of the graph', async () => {
    const { code, stdout } = await run(['iris-train.json', '--json', '--quiet', '--backend', 'cpu', '--target', 'split']);
    expect(code).toBe(EXIT_OK);
    expect(Object.keys((JSON.parse(stdout) as RunReport).nodes).sort()).toEqual(['iris', 'roles', 'split']);
  });
});

describe('bin/pipeline-studio.js', () => {
  it('runs a graph from another directory (samples found in the package) with --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ps-bin-'));
    const { code, stdout, stderr } = await spawnBin(['run', join(testdata, 'iris-table.json'), '--json', '--set', 'iris.name=digits'], dir);
    expect(stderr).not.toMatch(/error/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.backend).toBe('wasm');
    expect(report.nodes.iris.summary?.text).toBe('digits: 1797 rows × 65 cols');
  });

  it('runs a bundled example graph and reports its evaluation metrics', async () => {
    const example = resolve(here, '../../public/examples/iris-mlp.json');
    const file = JSON.parse(await readFile(example, 'utf8')) as { graph: { nodes: { id: string; type: string }[] } };
    const trainId = file.graph.nodes.find((n) => n.type === 'train.fit')?.id;
    expect(trainId).toBeDefined();
    const { code, stdout } = await spawnBin(['run', example, '--json', '--quiet', '--set', `${trainId}.epochs=5`], tmpdir());
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    const evaluation = Object.values(report.nodes).find((n) => n.type === 'evaluate.metrics');
    expect(evaluation?.status).toBe('done');
    expect(evaluation?.summary?.metrics?.accuracy).toBeGreaterThan(0);
    expect(report.nodes[trainId!].summary?.text).toMatch(/5 epochs/);
  });

  it('exits 2 for bad input and 1 for a failed run', async () => {
    const usage = await spawnBin(['run', 'iris-table.json', '--set', 'iris.name=mnist'], testdata);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/must be one of/);
    const failed = await spawnBin(['run', 'missing-file.json', '--quiet'], testdata);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/node "load" \(data\.file\) failed/);
    const unknownCommand = await spawnBin(['jump'], testdata);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/Unknown command "jump"/);
  });
});
