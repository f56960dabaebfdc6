import en from 'zod/v4/locales/en.js';
import { describe, expect, it } from 'vitest';
import { z } from './zod';

/** The kinds of schema our graph-file, record and model-zip schemas are built from. */
const schemas: Record<string, z.ZodMiniType> = {
  'non-empty string': z.string().check(z.minLength(1)),
  'int in range': z.int().check(z.minimum(0), z.maximum(0xffffffff)),
  'positive int': z.int().check(z.positive()),
  'non-negative int': z.int().check(z.nonnegative()),
  'nullable int': z.nullable(z.int().check(z.minimum(1))),
  'positive number': z.number().check(z.positive()),
  'non-empty array': z.array(z.string()).check(z.minLength(1)),
  enum: z.enum(['train', 'all']),
  literal: z.literal('pipeline-studio.graph'),
  'literal true': z.literal(true),
  'literal number': z.literal(1),
  tuple: z.tuple([z.string(), z.string()]),
  record: z.record(z.string(), z.number()),
  object: z.looseObject({ name: z.string(), when: z.number() }),
};
const inputs: unknown[] = [undefined, null, 'a', '', 1.5, -1, 0, 2 ** 40, Infinity, NaN, true, [], ['x', 'y', 'z'], {}, { name: 1 }, new Uint8Array(2)];

describe('zod/mini messages', () => {
  it("read as zod's English locale words them, for every issue our schemas raise", () => {
    let compared = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      for (const input of inputs) {
        const ours = schema.safeParse(input).error?.issues.map((issue) => issue.message);
        // A per-parse error map outranks the configured one: this is zod's own English text.
        const english = schema.safeParse(input, { error: en().localeError }).error?.issues.map((issue) => issue.message);
        expect(ours, `${name} given ${String(input)}`).toEqual(english);
        if (ours) compared += ours.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
