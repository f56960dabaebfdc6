import type * as TF from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupCpuTf } from '../../ml/test-helpers';
import type { LoggedPrediction } from '../../engine/services';
import { stores, trainBlobs } from '../../nodes/deploy/testing';
import { createEndpointRouter, type EndpointRouter } from './router';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

let router: EndpointRouter | null = null;
afterEach(() => {
  router?.dispose();
  router = null;
});

const post = (url: string, body: unknown) => ({ method: 'POST', url, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json' });
const parse = (response: { body: string } | null) => JSON.parse(response!.body);

describe('endpoint router', () => {
  it('serves the live version, logs predictions to the store, follows promote/rollback, and refuses bad requests per field', async () => {
    const before = tf.memory().numTensors;
    const { models, endpoints } = stores();
    const first = await trainBlobs();
    const second = await trainBlobs(7);
    const a = await models.save(first.artifact);
    const b = await models.save(second.artifact);
    first.dispose();
    second.dispose();
    await endpoints.deploy('blobs', a.id);
    router = createEndpointRouter({ endpoints, models, ensureBackend: async () => 'cpu', now: () => 5000 });

    expect(await router.handle({ method: 'GET', url: '/samples/iris.csv' })).toBeNull();
    const listed = parse(await router.handle({ method: 'GET', url: '/api/endpoints' }));
    expect(listed.endpoints).toEqual([{ name: 'blobs', live: 1, model: expect.stringMatching(/v1$/), versions: 1, url: '/api/endpoints/blobs/predict' }]);

    const ok = await router.handle(post('/api/endpoints/blobs/predict', { x: 6.5, y: 0.5 }));
    expect(ok!.status).toBe(200);
    const answer = parse(ok);
    expect(answer.model.version).toMatch(/^1-[0-9a-f]{12}$/);
    expect(answer.predictions[0].prediction).toBe('c');
    expect(Object.keys(answer.predictions[0].probabilities).sort()).toEqual(['a', 'b', 'c']);
    const logged = await endpoints.predictions('blobs');
    expect(logged).toEqual([{ endpoint: 'blobs', version: 1, time: 5000, inputs: { x: 6.5, y: 0.5 }, output: answer.predictions[0], latencyMs: expect.any(Number), batchSize: 1 }]);

    const bad = await router.handle(post('/api/endpoints/blobs/predict', { x: 'far', z: 1 }));
    expect(bad!.status).toBe(422);
    expect(parse(bad).fields).toMatchObject({ x: expect.stringMatching(/number/), y: expect.any(String) });
    expect((await router.handle(post('/api/endpoints/blobs/predict', '{not json')))!.status).toBe(400);
    expect((await endpoints.predictions('blobs')).length).toBe(1);

    const health = parse(await router.handle({ method: 'GET', url: '/api/endpoints/blobs/health' }));
    expect(health).toMatchObject({ status: 'ok', backend: 'cpu', logged: 1 });
    const metrics = await router.handle({ method: 'GET', url: '/api/endpoints/blobs/metrics' });
    expect(metrics!.body).toMatch(/pipeline_studio_requests_total\{status="422"\} 1/);

    await endpoints.deploy('blobs', b.id);
    expect(parse(await router.handle(post('/api/endpoints/blobs/predict', [{ x: 0.5, y: 0.5 }]))).model.version).toMatch(/^2-/);
    await endpoints.rollback('blobs');
    expect(parse(await router.handle(post('/api/endpoints/blobs/predict', { x: 0.5, y: 0.5 }))).model.version).toMatch(/^1-/);
    expect((await endpoints.predictions('blobs')).map((p) => p.version)).toEqual([1, 2, 1]);

    const missing = await router.handle(post('/api/endpoints/nope/predict', {}));
    expect(missing!.status).toBe(404);
    expect(parse(missing).error).toMatch(/no endpoint named "nope"/);
    expect((await router.handle({ method: 'GET', url: '/api/endpoints/blobs/nothing' }))!.status).toBe(404);

    await models.delete(b.id);
    await endpoints.promote('blobs', 2);
    const gone = await router.handle(post('/api/endpoints/blobs/predict', { x: 1, y: 1 }));
    expect(gone!.status).toBe(503);
    expect(parse(gone).error).toMatch(/no longer in the model store/);

    router.dispose();
    router = null;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers each concurrent prediction only after its own log record is stored, and still answers when storing fails', async () => {
    const { models, endpoints } = stores();
    const trained = await trainBlobs();
    const saved = await models.save(trained.artifact);
    trained.dispose();
    await endpoints.deploy('blobs', saved.id);
    // The store holds each write until the test lets it finish (IndexedDB under load).
    const writes: { rows: LoggedPrediction[]; finish: (error?: Error) => void }[] = [];
    const append = endpoints.appendPredictions.bind(endpoints);
    endpoints.appendPredictions = (rows) =>
      new Promise<void>((resolve, reject) => writes.push({ rows, finish: (error) => (error ? reject(error) : append(rows).then(resolve, reject)) }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    router = createEndpointRouter({ endpoints, models, ensureBackend: async () => 'cpu' });

    const answered: number[] = [];
    const send = (x: number) => router!.handle(post('/api/endpoints/blobs/predict', { x, y: 0.5 })).then((r) => (answered.push(x), r));
    const requests = [send(1), send(2), send(3)];
    await vi.waitFor(() => expect(writes).toHaveLength(3));
    const writeOf = (x: number) => writes.find((w) => w.rows[0].inputs.x === x)!;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toEqual([]);

    writeOf(2).finish();
    await vi.waitFor(() => expect(answered).toEqual([2]));
    writeOf(3).finish(new Error('QuotaExceededError'));
    await vi.waitFor(() => expect(answered).toEqual([2, 3]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toEqual([2, 3]);
    writeOf(1).finish();
    expect((await Promise.all(requests)).map((r) => r!.status)).toEqual([200, 200, 200]);

    expect((await endpoints.predictions('blobs')).map((p) => p.inputs.x).sort()).toEqual([1, 2]);
    const health = parse(await router.handle({ method: 'GET', url: '/api/endpoints/blobs/health' }));
    expect(health).toMatchObject({ logged: 3, logFailures: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
