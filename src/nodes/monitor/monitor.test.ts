import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../data/types';
import { runNode, setupCpuTf } from '../../ml/test-helpers';
import { viewsOf } from '../../runtime/views';
import { deploy } from '../deploy/deploy';
import { sendTraffic, stores, trainBlobs } from '../deploy/testing';
import { monitor } from './monitor';
import { summarizeTraffic } from '../../serving/traffic';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

/** Records like the blobs training data (x in [0, 9), y in [0, 3)), optionally shifted. */
function records(n: number, shiftX = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % 3;
    return { x: k * 3 + ((i * 37) % 100) / 100 + shiftX, y: (k % 2) * 2 + ((i * 53) % 100) / 100 };
  });
}

describe('monitor.endpoint', () => {
  it('reports volume, latency and green drift for training-like traffic, then red drift since the shifted window', async () => {
    const before = tf.memory().numTensors;
    const { models, endpoints } = stores();
    const model = await trainBlobs();
    const { endpoint } = await runNode(deploy, { model }, { params: { name: 'blobs' }, services: { models, endpoints } });
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

    const sending = performance.now();
    expect(await sendTraffic(endpoints, models, 'blobs', records(90), t0)).toEqual(new Array(90).fill(200));
    const sent = performance.now() - sending;
    let report = (await runNode(monitor, { endpoint }, { services: { models, endpoints } })).report as Metrics;
    let m = report.monitor!;
    expect(m.requests).toBe(90);
    expect(m.status).toBe('green');
    expect(m.driftingSince).toBeNull();
    // Latencies are durations of these very requests: within the time it took to send them all.
    expect(m.latencyMs!.p50).toBeGreaterThanOrEqual(0);
    expect(m.latencyMs!.p99).toBeGreaterThanOrEqual(m.latencyMs!.p50);
    expect(m.latencyMs!.p99).toBeLessThanOrEqual(Math.ceil(sent) + 1);
    expect(m.features.map((f) => f.name).sort()).toEqual(['x', 'y']);
    expect(m.predictions.map((p) => p.label)).toEqual(['a', 'b', 'c']);
    m.predictions.forEach((p) => expect(p.training).toBeCloseTo(1 / 3, 1));
    expect(report.scalars.requests).toBe(90);

    // A bad request is answered 4xx and never logged.
    expect(await sendTraffic(endpoints, models, 'blobs', [{ x: 'wide' }], t0)).toEqual([422]);
    expect((await endpoints.predictions('blobs')).length).toBe(90);

    // Two minutes later: x moved by +6 (two classes' widths): red, drifting since that window.
    await sendTraffic(endpoints, models, 'blobs', records(90, 6), t0 + 120_000);
    report = (await runNode(monitor, { endpoint }, { params: { recent: 90 }, services: { models, endpoints } })).report as Metrics;
    m = report.monitor!;
    expect(m.status).toBe('red');
    expect(m.driftingSince).toBe(t0 + 120_000);
    const x = m.features.find((f) => f.name === 'x')!;
    expect(x.status).toBe('red');
    expect(x.driftingSince).toBe(t0 + 120_000);
    expect(m.features.find((f) => f.name === 'y')!.status).toBe('green');
    expect(m.windows.map((w) => [w.start, w.requests, w.status])).toEqual([
      [t0, 90, 'green'],
      [t0 + 120_000, 90, 'red'],
    ]);
    expect(monitor.summarize!({ report } as never, {} as never).text).toMatch(/^red since .* · 180 requests · p95/);

    const views = viewsOf({ def: monitor, outputs: { report } });
    expect(views.map((v) => v.kind)).toEqual(['keyvalue', 'table', 'series', 'table']);

    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails clearly for a deleted endpoint, and says why drift is unknown without a reference', async () => {
    const { models, endpoints } = stores();
    await expect(runNode(monitor, { endpoint: { name: 'gone', version: 1 } }, { services: { models, endpoints } })).rejects.toThrow(/no longer exists/);
    await expect(runNode(monitor, { endpoint: { name: 'gone', version: 1 } }, { services: {} })).rejects.toThrow(/not available/);

    const summary = summarizeTraffic([], { endpoint: 'e', liveVersion: 1, reference: undefined, target: { name: 'y', task: 'regression' }, inputNames: ['x'] });
    expect(summary).toMatchObject({ requests: 0, status: 'unknown', latencyMs: null, features: [], predictions: [] });
    expect(summary.note).toMatch(/no training reference/);
  });
});
