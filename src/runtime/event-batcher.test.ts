import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { type BatcherTimers, EventBatcher } from './event-batcher';

/** A manual clock: timers fire only when the test advances time. */
function manualTimers() {
  let time = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const api: BatcherTimers = {
    now: () => time,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.set(id, { at: time + ms, callback });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  const advance = (ms: number) => {
    time += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at <= time) {
        timers.delete(id);
        timer.callback();
      }
    }
  };
  return { api, advance, pendingTimers: () => timers.size };
}

const progress = (nodeId: string, fraction: number, metrics?: Record<string, number>): RunEvent => ({
  type: 'node-progress',
  runId: 'r',
  nodeId,
  fraction,
  ...(metrics ? { metrics } : {}),
});

describe('EventBatcher', () => {
  it('sends at most one batch per interval', () => {
    const clock = manualTimers();
    const batches: RunEvent[][] = [];
    const batcher = new EventBatcher((b) => batches.push(b), 100, clock.api);
    batcher.push({ type: 'run-start', runId: 'r', nodeIds: ['a'], at: 0 });
    batcher.push({ type: 'node-start', runId: 'r', nodeId: 'a', at: 0 });
    expect(batches).toHaveLength(0);
    clock.advance(0);
    expect(batches.map((b) => b.map((e) => e.type))).toEqual([['run-start', 'node-start']]);
    batcher.push(progress('a', 0.1));
    clock.advance(50);
    expect(batches).toHaveLength(1);
    clock.advance(50);
    expect(batches).toHaveLength(2);
  });

  it('keeps only the latest plain progress per node, but every metrics point', () => {
    const clock = manualTimers();
    const batches: RunEvent[][] = [];
    const batcher = new EventBatcher((b) => batches.push(b), 100, clock.api);
    batcher.push(progress('train', 0.1));
    batcher.push(progress('train', 0.2, { epoch: 1, loss: 0.9 }));
    batcher.push(progress('other', 0.5));
    batcher.push(progress('train', 0.3));
    batcher.push(progress('train', 0.4, { epoch: 2, loss: 0.7 }));
    batcher.push(progress('train', 0.45));
    clock.advance(100);
    expect(batches).toHaveLength(1);
    const sent = batches[0] as Extract<RunEvent, { type: 'node-progress' }>[];
    expect(sent.map((e) => [e.nodeId, e.fraction, e.metrics?.epoch])).toEqual([
      ['train', 0.2, 1],
      ['other', 0.5, undefined],
      ['train', 0.4, 2],
      ['train', 0.45, undefined],
    ]);
  });

  it('flushes immediately at the end of the run', () => {
    const clock = manualTimers();
    const batches: RunEvent[][] = [];
    const batcher = new EventBatcher((b) => batches.push(b), 100, clock.api);
    batcher.push(progress('a', 0.5));
    batcher.push({ type: 'node-done', runId: 'r', nodeId: 'a', ms: 3 });
    batcher.push({ type: 'run-done', runId: 'r', ok: true, cancelled: false, ms: 3 });
    expect(batches).toHaveLength(1);
    expect(batches[0].map((e) => e.type)).toEqual(['node-progress', 'node-done', 'run-done']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('drops pending events on dispose', () => {
    const clock = manualTimers();
    const batches: RunEvent[][] = [];
    const batcher = new EventBatcher((b) => batches.push(b), 100, clock.api);
    batcher.push(progress('a', 0.5));
    batcher.dispose();
    clock.advance(1000);
    expect(batches).toHaveLength(0);
  });
});
