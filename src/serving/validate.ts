/**
 * Request validation for the prediction endpoint, before anything reaches the model.
 * Accepts `{ "records": [ {...}, ... ] }`, a bare array of records, or one record object.
 *
 * Policy (the same in the CLI server and the browser's endpoint):
 * - a field of the raw schema that is absent → refused (422), per-field message, unless the
 *   fitted chain imputes it (`optionalFields`), when absent means a missing value;
 * - `null` → a missing value: accepted for fields the chain imputes, refused for others;
 * - JSON strings for number / boolean fields are refused (wrong type): this is a JSON API,
 *   unlike the browser's form, where the chain's own parsing of text applies;
 * - wrong JSON type → refused (422);
 * - unseen category → accepted with a warning by default (the fitted encoder maps it to
 *   its unknown bucket), refused when `unseenCategory: 'refuse'` (the server's --strict);
 * - fields the model does not know → dropped with a warning by default, refused in strict mode;
 * - empty / non-JSON body → 400; over the byte or record limit → 413.
 */
import type { ColumnSchema, DType } from '../data/types';

export interface ValidationLimits {
  /** Largest accepted request body, in bytes. */
  maxBytes: number;
  /** Most records in one request. */
  maxRecords: number;
}

export const DEFAULT_LIMITS: ValidationLimits = { maxBytes: 1_000_000, maxRecords: 10_000 };

export interface ValidationOptions extends Partial<ValidationLimits> {
  unseenCategory?: 'warn' | 'refuse';
  extraFields?: 'warn' | 'refuse';
  /**
   * Fields the fitted chain imputes: absent means a missing value. When given, `null` in
   * any other field is refused; when not given, nulls pass on to the chain to judge.
   */
  optionalFields?: Iterable<string>;
}

export type RequestErrorStatus = 400 | 413 | 422;

/** The body of every 4xx answer: a sentence, plus per-field messages when fields are at fault. */
export interface RequestErrorBody {
  error: string;
  fields?: Record<string, string>;
}

export type ValidationResult =
  | {
      ok: true;
      /** Records holding only schema fields, in schema order, ready for the predictor. */
      records: Record<string, unknown>[];
      /** The request was one bare record (answer with one prediction). */
      single: boolean;
      warnings: string[];
    }
  | { ok: false; status: RequestErrorStatus; body: RequestErrorBody };

/** Raw columns a request must carry: the raw schema minus the target. */
export function inputSchema(rawSchema: ColumnSchema[], targetName: string | null | undefined): ColumnSchema[] {
  return rawSchema.filter((column) => column.name !== targetName);
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Parses and validates a request body given as text. */
export function validateRequestBody(bodyText: string, schema: ColumnSchema[], options: ValidationOptions = {}): ValidationResult {
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  // Cheap bound first: a UTF-8 byte is at least one UTF-16 unit's worth, at most three.
  if (bodyText.length > maxBytes || (bodyText.length * 3 > maxBytes && byteLength(bodyText) > maxBytes)) {
    return refuse(413, `request body is larger than ${maxBytes} bytes`);
  }
  if (bodyText.trim() === '') return refuse(400, 'empty body: send JSON { "records": [ { ...fields } ] } or one record object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch (error) {
    return refuse(400, `body is not valid JSON: ${(error as Error).message}`);
  }
  return validateRequestValue(parsed, schema, options);
}

/** Validates an already-parsed JSON value. */
export function validateRequestValue(value: unknown, schema: ColumnSchema[], options: ValidationOptions = {}): ValidationResult {
  const maxRecords = options.maxRecords ?? DEFAULT_LIMITS.maxRecords;
  let rawRecords: unknown[];
  let single = false;
  if (Array.isArray(value)) rawRecords = value;
  else if (isPlainObject(value) && 'records' in value) {
    if (!Array.isArray(value.records)) return refuse(400, '"records" must be an array of objects');
    rawRecords = value.records;
  } else if (isPlainObject(value)) {
    rawRecords = [value];
    single = true;
  } else return refuse(400, 'body must be a JSON object: { "records": [ ... ] } or one record');

  if (rawRecords.length === 0) return refuse(400, 'no records to predict');
  if (rawRecords.length > maxRecords) return refuse(413, `too many records: ${rawRecords.length} (at most ${maxRecords} per request)`);

  const fields: Record<string, string> = {};
  const warnings: string[] = [];
  const records: Record<string, unknown>[] = [];
  const known = new Set(schema.map((c) => c.name));
  const optional = new Set(options.optionalFields ?? []);
  rawRecords.forEach((raw, index) => {
    const where = (field: string) => (single ? field : `records[${index}].${field}`);
    if (!isPlainObject(raw)) {
      fields[single ? 'record' : `records[${index}]`] = 'must be an object of field values';
      return;
    }
    const record: Record<string, unknown> = {};
    for (const column of schema) {
      const value = raw[column.name] === undefined && optional.has(column.name) ? null : raw[column.name];
      // When we know what the chain imputes, a null elsewhere is refused here, as the chain would.
      const checked =
        value === null && options.optionalFields !== undefined && !optional.has(column.name)
          ? { error: 'missing value: the pipeline has no impute step for this field' }
          : checkField(column, value);
      if (checked.error) fields[where(column.name)] = checked.error;
      else {
        record[column.name] = checked.value;
        if (checked.unseen !== undefined) {
          const message = `unseen category ${JSON.stringify(checked.unseen)} (known: ${(column.categories ?? []).join(', ')})`;
          if (options.unseenCategory === 'refuse') fields[where(column.name)] = message;
          else warnings.push(`${where(column.name)}: ${message}`);
        }
      }
    }
    const unknown = Object.keys(raw).filter((name) => !known.has(name));
    const missing = schema.filter((c) => raw[c.name] === undefined && !optional.has(c.name)).map((c) => c.name);
    for (const name of unknown) {
      const guess = closestName(name, missing);
      const hint = guess ? ` (did you mean ${JSON.stringify(guess)}?)` : '';
      if (options.extraFields === 'refuse') fields[where(name)] = `unknown field: the model does not use it${hint}`;
      // A misspelt field also makes the record fail as "missing": name the likely culprit next to it.
      else if (guess) fields[where(name)] = `unknown field ignored${hint}`;
      else warnings.push(`${where(name)}: unknown field ignored`);
    }
    records.push(record);
  });

  if (Object.keys(fields).length > 0) {
    const [first, ...rest] = Object.entries(fields);
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    return { ok: false, status: 422, body: { error: `invalid input: ${first[0]}: ${first[1]}${more}`, fields } };
  }
  return { ok: true, records, single, warnings };
}

const EXPECTED: Record<DType, string> = {
  number: 'a number',
  category: 'a string (category)',
  boolean: 'true or false',
  text: 'a string',
  datetime: 'a date string or epoch milliseconds',
};

function checkField(column: ColumnSchema, value: unknown): { value?: unknown; error?: string; unseen?: string } {
  if (value === undefined) return { error: `missing field: expected ${EXPECTED[column.dtype]} (or null for a missing value)` };
  if (value === null) return { value: null };
  const wrongType = { error: `wrong type: expected ${EXPECTED[column.dtype]}, got ${describe(value)}` };
  switch (column.dtype) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : wrongType;
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      return value === 0 || value === 1 ? { value: value === 1 } : wrongType;
    case 'category': {
      // Categories parsed from CSV are strings; a JSON number for a numeric-looking category is fine.
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return wrongType;
      const label = String(value);
      const unseen = column.categories && column.categories.length > 0 && !column.categories.includes(label);
      return unseen ? { value: label, unseen: label } : { value: label };
    }
    case 'text':
      return typeof value === 'string' ? { value } : wrongType;
    case 'datetime':
      if (typeof value === 'number' && Number.isFinite(value)) return { value };
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value };
      return typeof value === 'string' ? { error: `not a date: ${JSON.stringify(value.slice(0, 40))}` } : wrongType;
  }
}

/** A schema field that `name` was probably meant to be: equal, or one containing the other, ignoring case and punctuation. */
function closestName(name: string, candidates: string[]): string | undefined {
  const simple = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = simple(name);
  if (wanted === '') return undefined;
  return candidates.find((c) => simple(c) === wanted) ?? candidates.find((c) => simple(c).startsWith(wanted) || wanted.startsWith(simple(c)));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(status: RequestErrorStatus, error: string): ValidationResult {
  return { ok: false, status, body: { error } };
}
