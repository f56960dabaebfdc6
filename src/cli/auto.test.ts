import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraphFile } from '../engine/graph-file';
import { createRegistry } from '../nodes';
import { autoCommand } from './auto';
import { EXIT_OK, EXIT_USAGE, type RunReport } from './run';

async function call(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await autoCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** 90 rows: a number with gaps, a category, a regression target that depends on both. */
function houses(): string {
  const lines = ['rooms,area,district,price'];
  for (let i = 0; i < 90; i++) {
    const rooms = 1 + (i % 5);
    const area = 30 + ((i * 7) % 90);
    const district = ['north', 'south', 'east'][i % 3];
    const price = 1000 * rooms + 20 * area + (district === 'north' ? 500 : 0);
    lines.push(`${rooms},${i % 10 === 0 ? '' : area},${district},${price}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('pipeline-studio auto', () => {
  it('writes a valid graph for a CSV (regression, impute, one-hot) and says each decision', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auto-test-'));
    await writeFile(join(dir, 'houses.csv'), houses());
    const { code, stderr } = await call(['houses.csv', '--target', 'price', '-o', 'graph.json'], dir);
    expect(code).toBe(EXIT_OK);
    expect(stderr).toMatch(/^auto: Task: regression — target "price" is a continuous number\.$/m);
    expect(stderr).toMatch(/^auto: Missing values: 1 numeric column had gaps \(area 9\)/m);
    expect(stderr).toMatch(/^auto: Encode: one-hot for district \(3\)/m);
    const { graph, warnings } = parseGraphFile(await readFile(join(dir, 'graph.json'), 'utf8'), createRegistry());
    expect(warnings).toEqual([]);
    // Permutation importance of the tuned model too (the evaluate.importance node type is registered).
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['cv', 'data', 'evaluate', 'importance', 'impute-numbers', 'onehot', 'roles', 'scale', 'spec', 'split', 'tune']);
    expect(graph.nodes.find((n) => n.id === 'data')!.params.path).toBe('houses.csv');
  });

  it('--run runs it like `run` does: --json reports every node, CV mean ± sd included', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auto-test-'));
    await writeFile(join(dir, 'houses.csv'), houses());
    const { code, stdout } = await call(['houses.csv', '--target', 'price', '--run', '--json', '--quiet', '--backend', 'cpu'], dir);
    expect(code).toBe(EXIT_OK);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.ok).toBe(true);
    expect(Object.values(report.nodes).every((n) => n.status === 'done')).toBe(true);
    expect(report.nodes.evaluate.summary?.text).toMatch(/^R² [\d.-]+, RMSE [\d.]+ on test \(\d+ rows\)$/);
    expect(report.nodes.cv.summary?.text).toMatch(/^5-fold CV R² [\d.-]+ ± [\d.]+$/);
  });

  it('prints the graph on stdout without -o; refuses a missing or unknown target with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auto-test-'));
    const printed = await call(['samples/iris.csv', '--target', 'species', '--quiet'], dir);
    expect(printed.code).toBe(EXIT_OK);
    expect(parseGraphFile(printed.stdout, createRegistry()).graph.nodes.find((n) => n.id === 'split')!.params).toMatchObject({ stratify: true });
    expect((await call(['samples/iris.csv'], dir)).stderr).toMatch(/--target <column>: say which column to predict/);
    const unknown = await call(['samples/iris.csv', '--target', 'colour'], dir);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toMatch(/^error: "colour" is not a column of iris\.csv \(columns: sepal length/m);
    expect((await call(['nowhere.csv', '--target', 'y'], dir)).stderr).toMatch(/Cannot read nowhere\.csv: no such file/);
    expect((await call(['samples/iris.csv', '--target', 'species', '--json'], dir)).stderr).toMatch(/--json is an option of --run/);
  });
});
