import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrowToDataset } from '../data/arrow';
import type { Metrics } from '../data/types';
import { Executor } from '../engine/executor';
import { parseGraphFile } from '../engine/graph-file';
import { planRun } from '../engine/plan';
import { createRegistry } from '../nodes';
import { initBackend } from '../runtime/backend';
import { nodeBackendPlatform } from '../runtime/backend-node';
import { MemoryModelStore } from '../storage/memory';
import { createFileReader, PUBLIC_DIR } from './files';
import { CACHE_KEY_FILE, runNodeCommand } from './run-node';
import { applyOverrides, EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE } from './run';
import type { PortMeta } from './port-files';

const example = (name: string) => join(PUBLIC_DIR, 'examples', `${name}.json`);

async function runNode(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runNodeCommand([...args, '--backend', 'cpu'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

beforeAll(async () => {
  await initBackend(tf, 'cpu', nodeBackendPlatform);
});

describe('run-node: one node at a time through port files', () => {
  const sets = ['--set', 'train.epochs=3'];

  it('runs the penguins example node by node; keys and metrics equal the executor running the whole graph', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-'));
    const registry = createRegistry();
    const { graph: parsed } = parseGraphFile(await readFile(example('penguins-mlp'), 'utf8'), registry);
    const graph = applyOverrides(parsed, registry, ['train.epochs=3']);
    for (const nodeId of planRun(graph).order) {
      const { code, stderr } = await runNode([example('penguins-mlp'), ...sets, '--node', nodeId, '--inputs', work, '--outputs', join(work, nodeId), '--quiet'], work);
      expect(code, stderr).toBe(EXIT_OK);
    }

    const executor = new Executor(registry);
    const models = new MemoryModelStore();
    const result = await executor.run(graph, { services: { backend: 'cpu', readFile: createFileReader(work), models } });
    expect(result.ok).toBe(true);
    for (const node of graph.nodes) {
      const written = await readJson<{ node: string; key: string }>(join(work, node.id, CACHE_KEY_FILE));
      expect(written, node.id).toEqual({ node: node.id, type: node.type, key: executor.outputsOf(node.id)!.key });
      for (const port of Object.keys(registry.get(node.type)!.outputs)) {
        const meta = await readJson<PortMeta>(join(work, node.id, port, 'meta.json'));
        expect(meta).toMatchObject({ node: node.id, port, key: written.key });
      }
    }
    const metrics = await readJson<Metrics>(join(work, 'evaluate', 'metrics', 'value.json'));
    expect(metrics.scalars).toEqual((executor.outputsOf('evaluate')!.outputs.metrics as Metrics).scalars);
    // The dataset on disk is the executor's dataset: one-hot columns, fitted chain, partitions.
    const scaled = arrowToDataset(new Uint8Array(await readFile(join(work, 'scale', 'data', 'data.arrow'))));
    const live = executor.outputsOf('scale')!.outputs.data as typeof scaled;
    expect(scaled.roles).toEqual(live.roles);
    expect(scaled.transforms).toEqual(live.transforms);
    expect(scaled.partitions).toEqual(live.partitions);
    expect(scaled.table.columns.map((c) => c.name)).toEqual(live.table.columns.map((c) => c.name));
    executor.clear();
  });

  it('the task form (no graph file: --type, --graph-seed, --param, --input) gives the same outputs and key', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-task-'));
    const graphForm = [example('iris-mlp'), '--quiet'];
    expect((await runNode([...graphForm, '--node', 'data', '--outputs', join(work, 'data')], work)).code).toBe(EXIT_OK);
    expect((await runNode([...graphForm, '--node', 'roles', '--inputs', work, '--outputs', join(work, 'roles')], work)).code).toBe(EXIT_OK);
    expect((await runNode([...graphForm, '--node', 'split', '--inputs', work, '--outputs', join(work, 'split')], work)).code).toBe(EXIT_OK);
    const task = await runNode(
      ['--node', 'split', '--type', 'prep.split', '--graph-seed', '42', '--param', 'test=0.2', '--param', 'train=0.8', '--param', 'validation=0', '--param', 'stratify=true', '--input', `data=${join(work, 'roles', 'data')}`, '--output', `data=${join(work, 'task-split')}`, '--quiet'],
      work,
    );
    expect(task.code, task.stderr).toBe(EXIT_OK);
    const a = await readJson<PortMeta>(join(work, 'split', 'data', 'meta.json'));
    const b = await readJson<PortMeta>(join(work, 'task-split', 'meta.json'));
    expect(b).toEqual(a);
    expect(await readFile(join(work, 'task-split', 'data.arrow'))).toEqual(await readFile(join(work, 'split', 'data', 'data.arrow')));
  });

  it('--events prints run events as JSON lines', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-events-'));
    const { code, stdout } = await runNode([example('iris-mlp'), '--node', 'spec', '--outputs', join(work, 'spec'), '--events', '--quiet'], work);
    expect(code).toBe(EXIT_OK);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; summary?: { text: string } });
    expect(events.map((e) => e.type)).toEqual(['node-start', 'node-done']);
    expect(events[1].summary?.text).toBe('64→32 relu');
  });
});

describe('run-node: bad input is refused with a clear message and exit 2', () => {
  it('an unknown node id lists the nodes', async () => {
    const { code, stderr } = await runNode([example('iris-mlp'), '--node', 'trian', '--outputs', 'out'], tmpdir());
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain('error: --node trian: the graph has no node "trian" (nodes: data, evaluate, roles, scale, spec, split, train)');
  });

  it('a missing input file names the input and the path it looked at', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-missing-'));
    const { code, stderr } = await runNode([example('iris-mlp'), '--node', 'roles', '--inputs', work, '--outputs', join(work, 'roles')], work);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain(`error: input "table" of node "roles": cannot read ${join(work, 'data', 'table', 'meta.json')}: no such file`);
  });

  it('a corrupt Arrow file is named in the message', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-corrupt-'));
    expect((await runNode([example('iris-mlp'), '--node', 'data', '--outputs', join(work, 'data'), '--quiet'], work)).code).toBe(EXIT_OK);
    const file = join(work, 'data', 'table', 'data.arrow');
    await writeFile(file, 'sepal length (cm),species\n5.1,setosa\n');
    const { code, stderr } = await runNode([example('iris-mlp'), '--node', 'roles', '--inputs', work, '--outputs', join(work, 'roles')], work);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain(`error: input "table" of node "roles": ${file} is not an Arrow IPC file (it does not start and end with "ARROW1")`);
  });

  it('an input of the wrong port type, and a task-form param the node does not have', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-type-'));
    expect((await runNode([example('iris-mlp'), '--node', 'spec', '--outputs', join(work, 'spec'), '--quiet'], work)).code).toBe(EXIT_OK);
    const wrong = await runNode(['--node', 'roles', '--type', 'prep.roles', '--graph-seed', '1', '--input', `table=${join(work, 'spec', 'spec')}`, '--output', `data=${join(work, 'r')}`], work);
    expect(wrong.code).toBe(EXIT_USAGE);
    expect(wrong.stderr).toContain(`error: input "table" of node "roles" takes a table, but ${join(work, 'spec', 'spec')} holds a model-spec (from node "spec" port "spec")`);
    const param = await runNode(['--node', 'split', '--type', 'prep.split', '--graph-seed', '1', '--param', 'tset=0.3', '--output', `data=${resolve(work, 'x')}`], work);
    expect(param.code).toBe(EXIT_USAGE);
    expect(param.stderr).toContain('error: --param tset=0.3: prep.split has no param "tset" (params: ');
  });

  it('a node that fails exits 1 with its message', async () => {
    const work = await mkdtemp(join(tmpdir(), 'run-node-fail-'));
    const { code, stderr } = await runNode([example('iris-mlp'), '--set', 'data.path=nowhere.csv', '--node', 'data', '--outputs', join(work, 'data'), '--quiet'], work);
    expect(code).toBe(EXIT_RUN_FAILED);
    expect(stderr).toContain('error: node "data" (data.file) failed: Cannot read nowhere.csv: no such file');
  });
});
