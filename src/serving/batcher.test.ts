import { describe, expect, it } from 'vitest';
import { batchPredictions } from './batcher';

type Row = Record<string, unknown>;

/** A predictor that doubles `x`, remembers each call's size, and refuses negative x. */
function doubling() {
  const calls: number[] = [];
  const predict = async (records: Row[]) => {
    calls.push(records.length);
    return records.map((r) => {
      if ((r.x as number) < 0) throw Object.assign(new Error('negative'), { fields: { x: 'must be ≥ 0' } });
      return (r.x as number) * 2;
    });
  };
  return { calls, predict };
}

describe('batchPredictions', () => {
  it('shares one call between requests made in the same turn and splits results back', async () => {
    const { calls, predict } = doubling();
    const batched = batchPredictions(predict);
    const results = await Promise.all([batched([{ x: 1 }]), batched([{ x: 2 }, { x: 3 }]), batched([{ x: 4 }])]);
    expect(results).toEqual([[2], [4, 6], [8]]);
    expect(calls).toEqual([4]);
    expect(await batched([{ x: 5 }])).toEqual([10]);
    expect(calls).toEqual([4, 1]);
  });

  it('caps records per call; an oversized request runs on its own', async () => {
    const { calls, predict } = doubling();
    const batched = batchPredictions(predict, { maxRecords: 3 });
    const many = Array.from({ length: 5 }, (_, i) => ({ x: i }));
    const results = await Promise.all([batched([{ x: 1 }, { x: 1 }]), batched([{ x: 2 }, { x: 2 }]), batched(many), batched([{ x: 3 }])]);
    expect(results).toEqual([[2, 2], [4, 4], [0, 2, 4, 6, 8], [6]]);
    expect(calls).toEqual([2, 2, 5, 1]);
  });

  it("isolates one request's bad record from the others", async () => {
    const { calls, predict } = doubling();
    const batched = batchPredictions(predict);
    const outcomes = await Promise.allSettled([batched([{ x: 1 }]), batched([{ x: -1 }]), batched([{ x: 3 }])]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: [2] });
    expect(outcomes[1].status).toBe('rejected');
    expect((outcomes[1] as PromiseRejectedResult).reason.fields).toEqual({ x: 'must be ≥ 0' });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: [6] });
    // One shared attempt, then each request alone.
    expect(calls).toEqual([3, 1, 1, 1]);
  });

  it('flushes through the given scheduler', async () => {
    const { predict } = doubling();
    const flushes: (() => void)[] = [];
    const batched = batchPredictions(predict, { schedule: (flush) => flushes.push(flush) });
    const a = batched([{ x: 1 }]);
    const b = batched([{ x: 2 }]);
    expect(flushes).toHaveLength(1);
    flushes[0]();
    expect(await Promise.all([a, b])).toEqual([[2], [4]]);
  });
});
