import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../engine/run-record';
import { EXIT_OK, EXIT_USAGE, type RunReport, runCommand } from './run';
import { runsCommand } from './runs';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

async function cli(command: typeof runCommand, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: testdata });
  return { code, stdout, stderr };
}

describe('run --record and pipeline-studio runs', () => {
  let dir: string;
  let first: RunRecord;
  let second: RunRecord;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ps-runs-'));
    for (const lr of ['0.02', '0.05']) {
      const { code, stdout } = await cli(runCommand, ['iris-train.json', '--json', '--quiet', '--backend', 'cpu', '--set', 'train.epochs=8', '--set', `train.learningRate=${lr}`, '--record', dir]);
      expect(code).toBe(EXIT_OK);
      const report = JSON.parse(stdout) as RunReport;
      expect(report.recordFile).toMatch(/\.json$/);
      // Distinct start times, so "newest first" is well defined.
      await new Promise((r) => setTimeout(r, 5));
    }
    const files = (await readdir(dir)).sort();
    const records = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as RunRecord));
    records.sort((a, b) => a.startedAt - b.startedAt);
    [first, second] = records;
  }, 120_000);

  it('writes the record the app keeps: graph, hashes, data hash, seed, backend, metrics, history, model ids', () => {
    expect(first).toMatchObject({ format: 2, graphId: 'cli-iris-train', graphName: 'CLI test: iris MLP', ok: true, backend: 'cpu', seed: 11, targets: [] });
    expect(first.graph?.nodes.find((n) => n.id === 'train')?.params.learningRate).toBe(0.02);
    expect(first.dataHashes.iris).toMatch(/^[0-9a-f]{64}$/);
    expect(first.nodes.iris).toMatchObject({ type: 'data.sample', dataHash: first.dataHashes.iris, dataName: 'iris.csv' });
    expect(first.metrics['eval.accuracy']).toBeGreaterThan(0);
    expect(first.nodes.train.history).toHaveLength(8);
    expect(first.nodes.train.history?.[0]).toMatchObject({ epoch: 1, loss: expect.any(Number) });
    expect(first.modelIds).toHaveLength(1);
    for (const node of Object.values(first.nodes)) expect(node.paramsHash).toMatch(/^[0-9a-f]{64}$/);
    // Same data, other learning rate: the data hash stays, the graph hash and the train node's params hash change.
    expect(second.dataHashes).toEqual(first.dataHashes);
    expect(second.graphHash).not.toBe(first.graphHash);
    expect(second.nodes.train.paramsHash).not.toBe(first.nodes.train.paramsHash);
    expect(second.nodes.split.paramsHash).toBe(first.nodes.split.paramsHash);
  });

  it('lists the runs newest first with their metrics', async () => {
    const { code, stdout } = await cli(runsCommand, [dir]);
    expect(code).toBe(EXIT_OK);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run\s+started\s+graph\s+status\s+backend\s+time\s+accuracy\b/);
    expect(lines[2]).toContain(second.id);
    expect(lines[3]).toContain(first.id);
    const json = JSON.parse((await cli(runsCommand, [dir, '--json'])).stdout) as RunRecord[];
    expect(json.map((r) => r.id)).toEqual([second.id, first.id]);
  });

  it('compares two runs: metrics with the difference, training, and only the param that changed', async () => {
    const { code, stdout } = await cli(runsCommand, [dir, '--compare', first.id, second.id]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/^accuracy\s+\S+\s+\S+ \([+-]?[0-9.e-]+\)$/m);
    expect(stdout).toContain('Training (loss):');
    expect(stdout).toContain(`Changes from ${first.id} to ${second.id}:`);
    expect(stdout).toContain('train.learningRate: 0.02 → 0.05');
    expect(stdout).not.toMatch(/train\.epochs|DATA CHANGED/);

    const json = JSON.parse((await cli(runsCommand, [dir, '--compare', first.id, second.id, '--json'])).stdout);
    expect(json.runs).toEqual([first.id, second.id]);
    expect(json.diffs[0].nodes).toEqual([{ nodeId: 'train', type: 'train.fit', change: 'changed', params: [{ param: 'learningRate', before: 0.02, after: 0.05 }] }]);
    expect(json.metrics.find((m: { label: string }) => m.label === 'accuracy').values).toEqual([first.metrics['eval.accuracy'], second.metrics['eval.accuracy']]);
  });

  it('refuses unknown ids and bad usage with exit 2, and skips files that are not records', async () => {
    await writeFile(join(dir, 'notes.json'), '{"hello": 1}');
    const listed = await cli(runsCommand, [dir]);
    expect(listed.code).toBe(EXIT_OK);
    expect(listed.stderr).toContain('skipped notes.json: not a run record');
    expect((await cli(runsCommand, [dir, '--compare', first.id])).stderr).toMatch(/two or more run ids/);
    const unknown = await cli(runsCommand, [dir, '--compare', first.id, 'nope']);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toMatch(/--compare nope: no run with that id/);
    expect((await cli(runsCommand, [join(dir, 'missing')])).stderr).toMatch(/no such directory/);
  });
});
