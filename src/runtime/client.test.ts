import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { edge, graph, node } from '../engine/testing/graph-builder';
import { createTestRegistry, createTestServices } from '../engine/testing/test-nodes';
import { nodeBackendPlatform } from './backend-node';
import { backendFromUrl } from './backend-preference';
import { type WorkerHandle, WorkerEngineClient } from './client';
import { EngineHost } from './engine-host';
import type { EngineWorkerApi } from './protocol';

/**
 * A "worker" in this process: an EngineHost behind a MessageChannel, spoken to with comlink
 * exactly like the real worker. Its crash hook calls the client's crash listener, as a
 * worker's `error` event would.
 */
interface WorkerLog {
  spawned: number;
  terminated: number;
  hosts: EngineHost[];
  /** The next worker behaves as if blocked in a long synchronous step: it never answers cancel. */
  nextIsStuck?: boolean;
  /** Every worker dies as it starts (a script that fails to load). */
  dieOnStart?: boolean;
  /** crashForTest crashes before its answer is sent (the unlucky order a loaded machine produces). */
  crashBeforeAnswer?: boolean;
  /** Makes the newest worker die silently: no `error` event, it just never answers again. */
  dieSilently?: () => void;
}

function inProcessWorker(log: WorkerLog): WorkerHandle {
  const { port1, port2 } = new MessageChannel();
  const { executed: _executed, backend: _backend, ...gates } = createTestServices();
  const host = new EngineHost({ registry: createTestRegistry(), loadTf: async () => tf, platform: nodeBackendPlatform, extraServices: gates });
  log.spawned += 1;
  log.hosts.push(host);
  let crash: ((message: string) => void) | null = null;
  const stuck = log.nextIsStuck === true;
  log.nextIsStuck = false;
  let silent = false;
  const api: EngineWorkerApi = {
    ping: async () => {
      if (silent) await new Promise<never>(() => {});
    },
    init: (p) => host.init(p),
    run: (runId, g, options, onEvents) => host.run(runId, g, options, onEvents),
    cancel: (runId) => (stuck ? new Promise<void>(() => {}) : host.cancel(runId)),
    views: (g, id) => host.views(g, id),
    columns: (g, id, port) => host.columns(g, id, port),
    restore: (g) => host.restore(g),
    hashFile: (token) => host.hashFile(token),
    profileFile: (token) => host.profileFile(token),
    predict: (id, record) => host.predict(id, record),
    exportModel: (id) => host.exportModel(id),
    exportOnnx: (id) => host.exportOnnx(id),
    importModel: (zip) => host.importModel(zip),
    putFile: (token, name, bytes) => host.putFile(token, name, bytes),
    putFileBlob: (token, name, blob) => host.putFileBlob(token, name, blob),
    crashForTest: async () => {
      if (log.crashBeforeAnswer) crash?.('simulated crash');
      else setTimeout(() => crash?.('simulated crash'), 0);
    },
  };
  Comlink.expose(api, port2);
  log.dieSilently = () => {
    // A dead thread neither answers nor sends events: nothing more crosses the channel.
    silent = true;
    port2.close();
  };
  return {
    endpoint: port1,
    terminate: () => {
      log.terminated += 1;
      port1.close();
      port2.close();
    },
    onCrash: (listener) => {
      crash = listener;
      if (log.dieOnStart) setTimeout(() => listener('SyntaxError: Unexpected token'), 0);
    },
  };
}

const clients: WorkerEngineClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

function setup(options: ConstructorParameters<typeof WorkerEngineClient>[1] & { stuck?: boolean } = {}) {
  const log: WorkerLog = { spawned: 0, terminated: 0, hosts: [], nextIsStuck: options.stuck };
  const client = new WorkerEngineClient(() => inProcessWorker(log), { cancelGraceMs: 50, ...options });
  clients.push(client);
  return { client, log };
}

function until(events: RunEvent[], predicate: (e: RunEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (events.some(predicate) ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

const quickGraph = graph([node('a', 'util.constant', { value: 2 }), node('b', 'util.add', { offset: 1 })], [edge('a.out', 'b.a')]);

describe('WorkerEngineClient', () => {
  it('initialises the backend and runs a graph with events', async () => {
    const { client } = setup();
    const info = await client.init('cpu');
    expect(info.name).toBe('cpu');
    expect(client.backend?.name).toBe('cpu');
    const events: RunEvent[] = [];
    const outcome = await client.run(quickGraph, {}, (e) => events.push(e));
    expect(outcome.ok).toBe(true);
    expect(events.map((e) => e.type)).toContain('node-done');
    expect(events.at(-1)?.type).toBe('run-done');
    const views = (await client.views(quickGraph, 'b'))?.views;
    expect(views?.[0]).toMatchObject({ kind: 'metrics', metrics: { scalars: { value: 3 } } });
  });

  it('refuses a second run while one is in progress', async () => {
    const { client } = setup();
    await client.init('cpu');
    const events: RunEvent[] = [];
    const first = client.run(graph([node('w', 'util.wait')]), {}, (e) => events.push(e));
    await expect(client.run(quickGraph, {}, () => {})).rejects.toThrow(/already in progress/);
    await until(events, (e) => e.type === 'node-start');
    await client.cancel();
    expect((await first).cancelled).toBe(true);
  });

  it('cancels cooperatively without replacing a worker that stops in time', async () => {
    const { client, log } = setup({ cancelGraceMs: 60_000 });
    await client.init('cpu');
    const events: RunEvent[] = [];
    const outcome = client.run(graph([node('w', 'util.wait')]), {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    await client.cancel();
    expect(await outcome).toMatchObject({ ok: false, cancelled: true });
    expect(events.find((e) => e.type === 'node-cancelled')).toMatchObject({ nodeId: 'w' });
    expect(log.spawned).toBe(1);
    expect(client.restarts).toBe(0);
  });

  it('terminates and replaces a worker that does not answer cancel, closing the run itself', async () => {
    const { client, log } = setup({ stuck: true });
    await client.init('cpu');
    const events: RunEvent[] = [];
    const stubborn = graph([node('w', 'util.wait'), node('after', 'util.add')], [edge('w.out', 'after.a')]);
    const outcome = client.run(stubborn, {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    await client.cancel();
    expect(await outcome).toMatchObject({ ok: false, cancelled: true });
    const closing = events.slice(events.findIndex((e) => e.type === 'node-start') + 1).filter((e) => e.type !== 'node-progress');
    expect(closing.map((e) => [e.type, 'nodeId' in e ? e.nodeId : ''])).toEqual([
      ['node-cancelled', 'w'],
      ['node-skipped', 'after'],
      ['run-done', ''],
    ]);
    expect(log.terminated).toBe(1);
    expect(log.spawned).toBe(2);
    expect(client.restarts).toBe(1);

    // The fresh worker runs the next graph (its cache is empty, so everything executes).
    const next: RunEvent[] = [];
    expect((await client.run(quickGraph, {}, (e) => next.push(e))).ok).toBe(true);
    expect(next.filter((e) => e.type === 'node-done')).toHaveLength(2);
    expect(client.backend?.name).toBe('cpu');
  });

  it('recovers from a worker crash mid-run: the running node shows the error, the next run works', async () => {
    const { client, log } = setup();
    await client.init('cpu');
    const events: RunEvent[] = [];
    const outcome = client.run(graph([node('w', 'util.wait')]), {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    await client.crashForTest!();
    expect(await outcome).toMatchObject({ ok: false, cancelled: false });
    const error = events.find((e) => e.type === 'node-error');
    expect(error).toMatchObject({ nodeId: 'w', message: 'The engine worker crashed: simulated crash; it was restarted' });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false });
    expect(log.spawned).toBe(2);

    expect((await client.run(quickGraph, {}, () => {})).ok).toBe(true);
  });

  it('a crash that lands before the crash call is answered still ends on the running node, never as a rejection', async () => {
    const { client, log } = setup();
    await client.init('cpu');
    log.crashBeforeAnswer = true;
    const events: RunEvent[] = [];
    const outcome = client.run(graph([node('w', 'util.wait')]), {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    await expect(client.crashForTest!()).resolves.toBeUndefined();
    expect(await outcome).toMatchObject({ ok: false, cancelled: false });
    expect(events.find((e) => e.type === 'node-error')).toMatchObject({ nodeId: 'w', message: 'The engine worker crashed: simulated crash; it was restarted' });
    log.crashBeforeAnswer = false;
    expect((await client.run(quickGraph, {}, () => {})).ok).toBe(true);
  });

  it('notices a worker that dies silently mid-run (no error event) by its missing heartbeat', async () => {
    const { client, log } = setup({ heartbeatMs: 20, heartbeatTimeoutMs: 150 });
    await client.init('cpu');
    const events: RunEvent[] = [];
    const outcome = client.run(graph([node('w', 'util.wait'), node('after', 'util.add')], [edge('w.out', 'after.a')]), {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    log.dieSilently!();
    expect(await outcome).toMatchObject({ ok: false, cancelled: false });
    expect(events.find((e) => e.type === 'node-error')).toMatchObject({ nodeId: 'w', message: expect.stringMatching(/^The engine worker stopped answering .*; it was restarted$/) });
    expect(events.find((e) => e.type === 'node-skipped')).toMatchObject({ nodeId: 'after' });
    expect(log.spawned).toBe(2);
    expect((await client.run(quickGraph, {}, () => {})).ok).toBe(true);
  });

  it('keeps a slow but living worker: a run whose node takes longer than the heartbeat timeout finishes', async () => {
    const { client, log } = setup({ heartbeatMs: 10, heartbeatTimeoutMs: 60 });
    await client.init('cpu');
    const events: RunEvent[] = [];
    const outcome = client.run(graph([node('w', 'util.wait')]), {}, (e) => events.push(e));
    await until(events, (e) => e.type === 'node-start');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.some((e) => e.type === 'node-error')).toBe(false);
    await client.cancel();
    expect(await outcome).toMatchObject({ cancelled: true });
    expect(log.spawned).toBe(1);
  });

  it('re-sends picked files to a replacement worker', async () => {
    const { client, log } = setup();
    await client.init('cpu');
    await client.putFile('tok', 'a.csv', new Uint8Array([1, 2, 3]));
    await client.crashForTest!();
    await new Promise<void>((resolve) => {
      const poll = () => (log.spawned === 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const fresh = log.hosts[1];
    await new Promise<void>((resolve) => {
      const poll = () => void fresh.services().pickedFile!('tok').then((f) => (f ? resolve() : setTimeout(poll, 5)));
      poll();
    });
    const file = await fresh.services().pickedFile!('tok');
    expect(file?.name).toBe('a.csv');
    expect(Array.from(file!.bytes)).toEqual([1, 2, 3]);
  });

  it('re-sends picked Blobs to a replacement worker, as Blobs', async () => {
    const { client, log } = setup();
    await client.init('cpu');
    await client.putFileBlob('blob-tok', 'b.csv', new Blob(['x,y\n1,2\n']));
    await client.crashForTest!();
    await new Promise<void>((resolve) => {
      const poll = () => (log.spawned === 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const fresh = log.hosts[1];
    await new Promise<void>((resolve) => {
      const poll = () => void fresh.services().pickedFileBlob!('blob-tok').then((f) => (f ? resolve() : setTimeout(poll, 5)));
      poll();
    });
    const file = await fresh.services().pickedFileBlob!('blob-tok');
    expect(file?.name).toBe('b.csv');
    expect(await file!.blob.text()).toBe('x,y\n1,2\n');
    expect(await fresh.services().pickedFile!('blob-tok')).toBeUndefined();
  });

  it('stops respawning a worker that dies on start, failing calls with the reason', async () => {
    const { client, log } = setup();
    log.dieOnStart = true;
    await client.crashForTest!().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const poll = () => (log.spawned >= 3 && log.terminated >= 3 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    await expect(client.init('cpu')).rejects.toThrow(/SyntaxError: Unexpected token; it keeps crashing, so it was stopped/);
    await expect(client.views(quickGraph, 'x')).rejects.toThrow(/keeps crashing/);
    expect(log.spawned).toBe(3);
  });

  it('applies a backend override from the URL', async () => {
    expect(backendFromUrl('?backend=wasm')).toBe('wasm');
    expect(backendFromUrl('?x=1&backend=auto')).toBe('auto');
    expect(backendFromUrl('?backend=quantum')).toBeNull();
    expect(backendFromUrl('')).toBeNull();
    const { client } = setup({ backendOverride: 'cpu' });
    expect((await client.init('wasm')).preference).toBe('cpu');
  });
});
