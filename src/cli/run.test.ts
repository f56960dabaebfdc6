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

  it('does not run a disabled node nor what is downstream of it, says so in the summary, and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ps-cli-disabled-'));
    const file = JSON.parse(await readFile(join(testdata, 'iris-train.json'), 'utf8')) as { graph: { nodes: { id: string; disabled?: boolean }[] } };
    file.graph.nodes.find((n) => n.id === 'split')!.disabled = true;
    await writeFile(join(dir, 'graph.json'), JSON.stringify(file));
    const { code, stdout, stderr } = await run(['graph.json', '--backend', 'cpu'], dir);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/^roles\s+prep\.roles\s+done\s+\d+ ms/m);
    expect(stdout).toMatch(/^split\s+prep\.split\s+skipped\s+disabled$/m);
    expect(stdout).toMatch(/^train\s+train\.fit\s+skipped\s+not run: Split train \/ validation \/ test is disabled$/m);
    expect(stdout).toMatch(/^eval\s+evaluate\.metrics\s+skipped\s+not run: Split train \/ validation \/ test is disabled$/m);
    expect(stderr).toMatch(/train\s+skipped \(not run: Split train \/ validation \/ test is disabled\)/);

    const json = await run(['graph.json', '--json', '--quiet', '--backend', 'cpu'], dir);
    const report = JSON.parse(json.stdout) as RunReport;
    expect(report.ok).toBe(true);
    expect(report.nodes.mlp.status).toBe('done');
    expect(report.nodes.split).toMatchObject({ status: 'skipped', note: 'disabled' });
  });

  it('--target runs only the needed part of the graph', async () => {
    const { code, stdout } = await run(['iris-train.json', '--json', '--quiet', '--backend', 'cpu', '--target', 'split']);
    expect(code).toBe(EXIT_OK);
    expect(Object.keys((JSON.parse(stdout) as RunReport).nodes).sort()).toEqual(['iris', 'roles', 'split']);
  });
});

/** iris-train.json reading `csv` from a file in a fresh directory instead of the bundled sample. */
async function trainingGraphOn(csv: string | Uint8Array, rename: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ps-cli-data-'));
  const file = JSON.parse(await readFile(join(testdata, 'iris-train.json'), 'utf8')) as {
    graph: { nodes: { id: string; type: string; params: Record<string, unknown> }[]; edges: { id: string; from: { node: string }; to: { node: string } }[] };
  };
  const data = file.graph.nodes.find((n) => n.id === 'iris')!;
  Object.assign(data, { type: 'data.file', params: { path: 'data.csv' } });
  file.graph.nodes.find((n) => n.id === 'train')!.params.epochs = 1;
  for (const node of file.graph.nodes) node.id = rename[node.id] ?? node.id;
  for (const edge of file.graph.edges) {
    edge.from.node = rename[edge.from.node] ?? edge.from.node;
    edge.to.node = rename[edge.to.node] ?? edge.to.node;
  }
  await writeFile(join(dir, 'graph.json'), JSON.stringify(file));
  await writeFile(join(dir, 'data.csv'), csv);
  return dir;
}

async function irisCsv(): Promise<string[]> {
  return (await readFile(resolve(here, '../../public/samples/iris.csv'), 'utf8')).trim().split('\n');
}

describe('pipeline-studio run (bad input)', () => {
  it('says a data node\'s warnings in full (a latin-1 file, duplicate header names), also in --json', async () => {
    const [header, ...rows] = await irisCsv();
    // "é" as the single byte 0xE9: latin-1, not UTF-8.
    const latin1 = Uint8Array.from([header.replace('sepal length', 'sépal length'), ...rows].join('\n'), (c) => c.charCodeAt(0));
    const latin = await run(['graph.json', '--backend', 'cpu', '--quiet'], await trainingGraphOn(latin1));
    expect(latin.code).toBe(EXIT_OK);
    expect(latin.stderr).toMatch(/^warning: node "iris" \(data\.file\): The file is not valid UTF-8: read it as windows-1252 \(Western European\)\. Check accented characters\.$/m);

    const duplicate = await run(['graph.json', '--backend', 'cpu', '--quiet', '--json'], await trainingGraphOn([header.replace('sepal width (cm)', 'sepal length (cm)'), ...rows].join('\n')));
    expect(duplicate.code).toBe(EXIT_OK);
    expect(duplicate.stderr).toMatch(/^warning: node "iris" \(data\.file\): Duplicate column name "sepal length \(cm\)": renamed the repeat to "sepal length \(cm\)_2"\.$/m);
    const report = JSON.parse(duplicate.stdout) as RunReport;
    expect(report.nodes.iris.summary?.warnings).toEqual(['Duplicate column name "sepal length (cm)": renamed the repeat to "sepal length (cm)_2".']);
  });

  it('names the stray values of a numeric column and their rows, instead of asking to encode it', async () => {
    const [header, ...rows] = await irisCsv();
    const cell = (row: number, value: string) => (rows[row - 1] = rows[row - 1].replace(/^[^,]*/, value));
    cell(8, 'five');
    cell(11, 'Infinity');
    cell(21, '1e999');
    const { code, stderr } = await run(['graph.json', '--backend', 'cpu', '--quiet'], await trainingGraphOn([header, ...rows].join('\n')));
    expect(code).toBe(EXIT_RUN_FAILED);
    const named = '3 cells are not numbers: "five" (row 8), "Infinity" (row 11; not a finite number), "1e999" (row 21; not a finite number)';
    expect(stderr).toContain(`warning: node "iris" (data.file): Column "sepal length (cm)" looks numeric but ${named}: read as category.`);
    expect(stderr).toContain(`error: node "train" (train.fit) failed: Feature "sepal length (cm)" was read as category because ${named}. Fix them in the file`);
    expect(stderr).not.toMatch(/Encode categories|UTF-8/);
  });

  it('refuses a node id that names an object property (__proto__) at validation, with exit 2', async () => {
    const { code, stdout, stderr } = await run(['graph.json', '--backend', 'cpu', '--json'], await trainingGraphOn((await irisCsv()).join('\n'), { train: '__proto__' }));
    expect(stderr).toMatch(/node "__proto__" \(train\.fit\): Node id "__proto__" is reserved/);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe('');
  });

  it('--save-models into a path that is a file says so and exits 2 before running', async () => {
    const dir = await trainingGraphOn((await irisCsv()).join('\n'));
    await writeFile(join(dir, 'models'), 'not a directory');
    const { code, stdout, stderr } = await run(['graph.json', '--backend', 'cpu', '--save-models', 'models'], dir);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toBe(`error: --save-models models: ${join(dir, 'models')} is a file, not a directory; give a directory (it is created when missing)\n`);
    expect(stdout).toBe('');
    const below = await run(['graph.json', '--backend', 'cpu', '--save-models', 'models/iris'], dir);
    expect(below.code).toBe(EXIT_USAGE);
    expect(below.stderr).toMatch(/cannot create the directory .*models\/iris: a part of the path is a file, not a directory/);
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

  it('--save-models into a file: one clear line and exit 2, no stack trace', async () => {
    const dir = await trainingGraphOn((await irisCsv()).join('\n'));
    await writeFile(join(dir, 'models'), '');
    const { code, stderr } = await spawnBin(['run', 'graph.json', '--quiet', '--save-models', 'models'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: --save-models models: ${join(dir, 'models')} is a file, not a directory; give a directory (it is created when missing)\n`);
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
