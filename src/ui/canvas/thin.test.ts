import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thinPoints } from './thin';

describe('thinPoints', () => {
  it('keeps short series whole', () => {
    expect(thinPoints([3, 1, 2], 5)).toEqual([
      { index: 0, value: 3 },
      { index: 1, value: 1 },
      { index: 2, value: 2 },
    ]);
    expect(thinPoints([], 5)).toEqual([]);
  });

  it('thins long series to at most max points, first and last kept, indices increasing', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 3000 }), fc.integer({ min: 2, max: 200 }), (values, max) => {
        const picked = thinPoints(values, max);
        expect(picked.length).toBe(Math.min(values.length, max));
        if (values.length === 0) return;
        expect(picked[0].index).toBe(0);
        expect(picked[picked.length - 1].index).toBe(values.length - 1);
        for (let i = 1; i < picked.length; i++) expect(picked[i].index).toBeGreaterThan(picked[i - 1].index);
        for (const p of picked) expect(p.value).toBe(values[p.index]);
      }),
    );
  });

  it('refuses a max below 2', () => {
    expect(() => thinPoints([1, 2, 3], 1)).toThrow(/max ≥ 2/);
    expect(() => thinPoints([1, 2, 3], 2.5)).toThrow(RangeError);
  });
});
