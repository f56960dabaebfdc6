import { describe, expect, it } from 'vitest';
import type { Table } from '../data/types';
import { quantile } from '../data/transforms/common';
import { binIndex, buildReference, isReferenceProfile, numericReference } from './reference';

function table(): Table {
  return {
    rowCount: 6,
    columns: [
      { name: 'x', dtype: 'number', values: new Float64Array([1, 2, NaN, 4, 5, 100]) },
      { name: 'colour', dtype: 'category', codes: new Int32Array([0, 1, 1, -1, 2, 0]), categories: ['red', 'green', 'blue'] },
      { name: 'flag', dtype: 'boolean', values: new Float64Array([1, 0, 1, 1, NaN, 0]) },
      { name: 'note', dtype: 'text', values: ['a', 'b', null, 'c', 'd', 'e'] },
      { name: 'label', dtype: 'category', codes: new Int32Array([0, 0, 1, 1, 0, 1]), categories: ['yes', 'no'] },
    ],
  };
}

const schema = [
  { name: 'x', dtype: 'number' as const },
  { name: 'colour', dtype: 'category' as const, categories: ['red', 'green', 'blue'] },
  { name: 'flag', dtype: 'boolean' as const },
  { name: 'note', dtype: 'text' as const },
  { name: 'label', dtype: 'category' as const },
  { name: 'not-in-table', dtype: 'number' as const },
];

describe('quantiles and bins', () => {
  it('interpolates quantiles linearly', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBeCloseTo(1.9, 12);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBeCloseTo(5.5, 12);
    expect(quantile([3], 0.7)).toBe(3);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('puts a value on an edge into the lower bin', () => {
    expect(binIndex([1, 2, 3], 0)).toBe(0);
    expect(binIndex([1, 2, 3], 1)).toBe(0);
    expect(binIndex([1, 2, 3], 1.5)).toBe(1);
    expect(binIndex([1, 2, 3], 3)).toBe(2);
    expect(binIndex([1, 2, 3], 3.1)).toBe(3);
    expect(binIndex([], 42)).toBe(0);
  });

  it('makes ten equal bins from ten distinct values', () => {
    const ref = numericReference('v', [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(ref.edges.map((e) => Number(e.toFixed(10)))).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
    ref.fractions.forEach((f) => expect(f).toBeCloseTo(0.1, 12));
    expect(ref.sample).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ref.count).toBe(10);
  });

  it('collapses tied edges', () => {
    const ref = numericReference('v', [0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(ref.edges[0]).toBe(0);
    expect(ref.edges[1]).toBeCloseTo(0.2, 12);
    expect(ref.edges[2]).toBeCloseTo(1.1, 12);
    expect(ref.edges).toHaveLength(3);
    expect(ref.fractions.map((f) => Number(f.toFixed(12)))).toEqual([0.8, 0, 0.1, 0.1]);
  });

  it('gives a constant column a single bin', () => {
    const ref = numericReference('v', [5, 5, 5, NaN]);
    expect(ref.edges).toEqual([]);
    expect(ref.fractions).toEqual([1]);
    expect(ref.missingFraction).toBe(0.25);
  });

  it('handles a column with no values', () => {
    const ref = numericReference('v', [NaN, NaN]);
    expect(ref).toMatchObject({ count: 0, edges: [], fractions: [], sample: [], missingFraction: 1 });
  });

  it('keeps at most sampleSize evenly spaced values, including both extremes', () => {
    const values = Array.from({ length: 5000 }, (_, i) => 4999 - i);
    const ref = numericReference('v', values, 10, 1000);
    expect(ref.sample).toHaveLength(1000);
    expect(ref.sample[0]).toBe(0);
    expect(ref.sample[999]).toBe(4999);
    expect([...ref.sample].sort((a, b) => a - b)).toEqual(ref.sample);
  });
});

describe('buildReference', () => {
  it('profiles the training rows only, per column kind', () => {
    const profile = buildReference(table(), new Uint32Array([0, 1, 2, 3]), schema, { exclude: ['label'] });
    expect(isReferenceProfile(profile)).toBe(true);
    expect(profile.rowCount).toBe(4);
    expect(profile.features.map((f) => f.name)).toEqual(['x', 'colour', 'flag']);

    const x = profile.features[0];
    expect(x.kind).toBe('numeric');
    if (x.kind !== 'numeric') throw new Error('unreachable');
    expect(x.count).toBe(3);
    expect(x.missingFraction).toBe(0.25);
    expect(x.sample).toEqual([1, 2, 4]);

    const colour = profile.features[1];
    expect(colour).toMatchObject({ kind: 'categorical', categories: ['red', 'green', 'blue'], count: 3, missingFraction: 0.25 });
    if (colour.kind !== 'categorical') throw new Error('unreachable');
    expect(colour.fractions.map((f) => Number(f.toFixed(12)))).toEqual([0.333333333333, 0.666666666667, 0]);

    expect(profile.features[2]).toMatchObject({ kind: 'categorical', categories: ['false', 'true'], fractions: [0.25, 0.75] });
  });

  it('uses every row when no partition is given, and survives a JSON round trip', () => {
    const profile = buildReference(table(), null, schema);
    expect(profile.rowCount).toBe(6);
    expect(profile.features.map((f) => f.name)).toEqual(['x', 'colour', 'flag', 'label']);
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
  });

  it('rejects things that are not profiles', () => {
    expect(isReferenceProfile(undefined)).toBe(false);
    expect(isReferenceProfile({ format: 'other', version: 1, features: [] })).toBe(false);
    expect(isReferenceProfile({ format: 'pipeline-studio/reference', version: 2, features: [] })).toBe(false);
  });
});
