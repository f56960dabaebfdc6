import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../data/types';
import { inputSchema, validateRequestBody, validateRequestValue } from './validate';

const rawSchema: ColumnSchema[] = [
  { name: 'bill_length_mm', dtype: 'number' },
  { name: 'island', dtype: 'category', categories: ['Biscoe', 'Dream', 'Torgersen'] },
  { name: 'alive', dtype: 'boolean' },
  { name: 'seen', dtype: 'datetime' },
  { name: 'species', dtype: 'category', categories: ['Adelie', 'Gentoo'] },
];
const schema = inputSchema(rawSchema, 'species');
const good = { bill_length_mm: 39.1, island: 'Dream', alive: true, seen: '2024-05-01' };

describe('validateRequestBody', () => {
  it('drops the target from the input schema', () => {
    expect(schema.map((c) => c.name)).toEqual(['bill_length_mm', 'island', 'alive', 'seen']);
  });

  it('accepts { records }, a bare array and a single record', () => {
    const wrapped = validateRequestBody(JSON.stringify({ records: [good, good] }), schema);
    expect(wrapped).toEqual({ ok: true, records: [good, good], single: false, warnings: [] });
    const bare = validateRequestBody(JSON.stringify([good]), schema);
    expect(bare).toMatchObject({ ok: true, single: false });
    const one = validateRequestBody(JSON.stringify(good), schema);
    expect(one).toEqual({ ok: true, records: [good], single: true, warnings: [] });
  });

  it('passes null through as a missing value and normalises 0/1 booleans and numeric categories', () => {
    const result = validateRequestValue({ ...good, bill_length_mm: null, alive: 0, island: 7 }, schema, { unseenCategory: 'warn' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.records[0]).toEqual({ bill_length_mm: null, island: '7', alive: false, seen: '2024-05-01' });
    expect(result.warnings).toEqual(['island: unseen category "7" (known: Biscoe, Dream, Torgersen)']);
  });

  it('refuses missing fields and wrong types with one message per field', () => {
    const result = validateRequestValue({ island: 'Dream', bill_length_mm: '39.1', alive: 'yes', seen: 'not a date' }, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(422);
    expect(result.body.error).toBe('invalid input: bill_length_mm: wrong type: expected a number, got string "39.1" (and 2 more)');
    expect(result.body.fields).toEqual({
      bill_length_mm: 'wrong type: expected a number, got string "39.1"',
      alive: 'wrong type: expected true or false, got string "yes"',
      seen: 'not a date: "not a date"',
    });
    const missing = validateRequestValue({ island: 'Dream', alive: true, seen: 0 }, schema);
    expect(missing).toMatchObject({ ok: false, status: 422, body: { fields: { bill_length_mm: expect.stringMatching(/^missing field/) } } });
  });

  it('names the record index in batches', () => {
    const result = validateRequestValue({ records: [good, { ...good, island: ['Dream'] }, 5] }, schema);
    expect(result).toMatchObject({
      ok: false,
      status: 422,
      body: { fields: { 'records[1].island': 'wrong type: expected a string (category), got an array', 'records[2]': 'must be an object of field values' } },
    });
  });

  it('warns about unseen categories and extra fields by default, refuses them in strict mode', () => {
    const body = { ...good, island: 'Atlantis', colour: 'blue' };
    const lenient = validateRequestValue(body, schema);
    expect(lenient).toEqual({
      ok: true,
      single: true,
      records: [{ ...good, island: 'Atlantis' }],
      warnings: ['island: unseen category "Atlantis" (known: Biscoe, Dream, Torgersen)', 'colour: unknown field ignored'],
    });
    const strict = validateRequestValue(body, schema, { unseenCategory: 'refuse', extraFields: 'refuse' });
    expect(strict).toMatchObject({
      ok: false,
      status: 422,
      body: {
        fields: {
          island: 'unseen category "Atlantis" (known: Biscoe, Dream, Torgersen)',
          colour: 'unknown field: the model does not use it',
        },
      },
    });
  });

  it('refuses empty, non-JSON and non-object bodies with 400', () => {
    expect(validateRequestBody('', schema)).toMatchObject({ ok: false, status: 400, body: { error: expect.stringMatching(/^empty body/) } });
    expect(validateRequestBody('  \n', schema)).toMatchObject({ ok: false, status: 400 });
    expect(validateRequestBody('{"records": [', schema)).toMatchObject({ ok: false, status: 400, body: { error: expect.stringMatching(/not valid JSON/) } });
    expect(validateRequestBody('42', schema)).toMatchObject({ ok: false, status: 400 });
    expect(validateRequestBody('{"records": {}}', schema)).toMatchObject({ ok: false, status: 400, body: { error: '"records" must be an array of objects' } });
    expect(validateRequestBody('{"records": []}', schema)).toMatchObject({ ok: false, status: 400, body: { error: 'no records to predict' } });
  });

  it('refuses bodies over the byte or record limit with 413', () => {
    const big = JSON.stringify({ records: Array(50).fill(good) });
    expect(validateRequestBody(big, schema, { maxBytes: 1000 })).toMatchObject({ ok: false, status: 413, body: { error: 'request body is larger than 1000 bytes' } });
    // Multi-byte characters count as bytes, not UTF-16 units.
    const wide = JSON.stringify({ ...good, island: 'é'.repeat(480) });
    expect(wide.length).toBeLessThan(1000);
    expect(validateRequestBody(wide, schema, { maxBytes: 1000 })).toMatchObject({ ok: false, status: 413 });
    expect(validateRequestBody(big, schema, { maxRecords: 10 })).toMatchObject({ ok: false, status: 413, body: { error: 'too many records: 50 (at most 10 per request)' } });
  });
});

describe('optional fields', () => {
  it('treats an absent field the chain imputes as a missing value', () => {
    const { bill_length_mm: _dropped, ...withoutBill } = good;
    expect(validateRequestValue(withoutBill, schema, { optionalFields: ['bill_length_mm'] })).toEqual({
      ok: true,
      single: true,
      records: [{ ...withoutBill, bill_length_mm: null }],
      warnings: [],
    });
    expect(validateRequestValue(withoutBill, schema)).toMatchObject({ ok: false, status: 422 });
    expect(validateRequestValue({ ...good, island: null }, schema, { optionalFields: ['bill_length_mm'] })).toMatchObject({
      ok: false,
      status: 422,
      body: { fields: { island: 'missing value: the pipeline has no impute step for this field' } },
    });
  });
});

describe('misspelt fields', () => {
  it('points an unknown field at the missing field it was probably meant to be', () => {
    const result = validateRequestValue({ 'Bill Length': 39.1, island: 'Dream', alive: true, seen: 0, extra: 1 }, schema);
    expect(result).toEqual({
      ok: false,
      status: 422,
      body: {
        error: expect.stringMatching(/^invalid input: bill_length_mm: missing field/),
        fields: {
          bill_length_mm: 'missing field: expected a number (or null for a missing value)',
          'Bill Length': 'unknown field ignored (did you mean "bill_length_mm"?)',
        },
      },
    });
    const strict = validateRequestValue({ BILL_LENGTH_MM: 39.1, island: 'Dream', alive: true, seen: 0 }, schema, { extraFields: 'refuse' });
    expect(strict).toMatchObject({ body: { fields: { BILL_LENGTH_MM: 'unknown field: the model does not use it (did you mean "bill_length_mm"?)' } } });
  });
});
