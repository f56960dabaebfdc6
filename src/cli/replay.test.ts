import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../data/types';
import { blobsDataset, setupCpuTf } from '../ml/test-helpers';
import { exportModelZip } from '../ml/zip';
import { trainBlobs } from '../nodes/deploy/testing';
import { tableRecords } from '../serving/replay';
import { parseReplayArgs, replayMain } from './replay';
import { createServingPredictor, servingModelFromArtifact, startServer, UsageError } from './serve';

let directory: string;
let artifact: ModelArtifact;
let zipPath: string;
let csvPath: string;

beforeAll(async () => {
  await setupCpuTf();
  const model = await trainBlobs();
  artifact = model.artifact;
  model.dispose();
  directory = mkdtempSync(join(tmpdir(), 'replay-test-'));
  zipPath = join(directory, 'blobs.zip');
  writeFileSync(zipPath, await exportModelZip(artifact));
  const records = tableRecords(blobsDataset().table);
  csvPath = join(directory, 'blobs.csv');
  writeFileSync(csvPath, ['x,y,label', ...records.map((r) => `${r.x},${r.y},${r.label}`)].join('\n'));
});

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('replay CLI', () => {
  it('parses its options and refuses bad ones with usage errors', () => {
    expect(parseReplayArgs(['http://127.0.0.1:1', '--data', 'a.csv', '--shift', 'x=+2std', '--shift', 'k=a>b', '--rate', '5'])).toMatchObject({
      target: 'http://127.0.0.1:1',
      rate: 5,
      shifts: [{ column: 'x', kind: 'std', k: 2 }, { column: 'k', kind: 'swap', from: 'a', to: 'b' }],
      partition: 'all',
    });
    expect(parseReplayArgs(['--help'])).toBe('help');
    expect(() => parseReplayArgs(['u', '--rate', '5'])).toThrow(/--data/);
    expect(() => parseReplayArgs(['u', '--data', 'a', '--rate', 'fast'])).toThrow(UsageError);
    expect(() => parseReplayArgs(['u', '--data', 'a', '--partition', 'dev'])).toThrow(/--partition/);
    expect(() => parseReplayArgs(['u', '--data', 'a', '--shift', 'nonsense'])).toThrow(/--shift/);
    expect(() => parseReplayArgs(['--data', 'a'])).toThrow(/where to/);
  });

  it('replays rows to a running server (127.0.0.1), leaving out the target', async () => {
    const predictor = await createServingPredictor(artifact);
    const server = await startServer(servingModelFromArtifact(artifact, predictor, 'cpu'), { port: 0, host: '127.0.0.1' });
    try {
      const { io, out } = capture();
      const code = await replayMain([`${server.url}/predict`, '--data', csvPath, '--rate', '1000', '--partition', 'test', '--json'], io);
      expect(code).toBe(0);
      const summary = JSON.parse(out.at(-1)!);
      expect(summary).toMatchObject({ sent: 18, ok: 18, failed: 0 });
      expect(server.handler.log.size).toBe(18);
      expect(Object.keys(server.handler.log.entries()[0].inputs).sort()).toEqual(['x', 'y']);
    } finally {
      await server.close();
      predictor.dispose();
    }
  });

  it('serves a model zip itself, sends shifted rows, and reports the drift', async () => {
    const { io, out } = capture();
    const code = await replayMain([zipPath, '--data', csvPath, '--rate', '1000', '--shift', 'x=+3std', '--backend', 'cpu'], io);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Sending 120 records to http:\/\/127\.0\.0\.1:\d+\/predict at 1000\/s, shifted: x \+3·std/);
    expect(text).toMatch(/Sent 120: 120 answered 2xx, 0 failed \(200×120\)/);
    expect(text).toMatch(/Drift: red since/);
    expect(text).toMatch(/x\s+red/);
  });

  it('fails with exit code 1 on a missing file or an unreachable server, 2 on usage', async () => {
    const missing = capture();
    expect(await replayMain([zipPath, '--data', join(directory, 'nope.csv'), '--backend', 'cpu'], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(/cannot read .*nope\.csv: no such file/);
    const unreachable = capture();
    expect(await replayMain(['http://127.0.0.1:9', '--data', csvPath], unreachable.io)).toBe(1);
    expect(await replayMain(['x'], capture().io)).toBe(2);
  });
});
