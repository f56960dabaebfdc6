/**
 * Params are declared as data: the inspector renders them, the graph file validates
 * them, and the cache key hashes them. Every spec knows its default and how to check a value.
 */

interface ParamBase<K extends string, V> {
  kind: K;
  default: V;
  label?: string;
  help?: string;
}

export interface NumberParam extends ParamBase<'number' | 'int', number> {
  min?: number;
  max?: number;
  step?: number;
}
/** `T` is the option union, so `params.x` of a select is typed as its options (no casts in `run`). */
export interface SelectParam<T extends string = string> extends ParamBase<'select', T> {
  options: readonly T[];
}
export type BooleanParam = ParamBase<'boolean', boolean>;
export interface TextParam extends ParamBase<'text', string> {
  multiline?: boolean;
  placeholder?: string;
  /** When set, the value must match (whole string). */
  pattern?: string;
}
/** Which upstream columns a column picker offers. */
export type ColumnKind = 'any' | 'numeric' | 'category' | 'feature' | 'target';
/** One column name from the upstream table/dataset ('' = none chosen). */
export interface ColumnParam extends ParamBase<'column', string> {
  columnKind: ColumnKind;
  /** The input port whose columns are offered; defaults to the first input. */
  fromInput?: string;
  optional?: boolean;
}
/** Several column names; an empty list usually means "all that fit". */
export interface ColumnsParam extends ParamBase<'columns', string[]> {
  columnKind: ColumnKind;
  fromInput?: string;
}
/** A list of numbers (e.g. hidden layer sizes) or strings. */
export interface ListParam extends ParamBase<'list', (number | string)[]> {
  itemKind: 'number' | 'int' | 'text';
  minItems?: number;
  maxItems?: number;
  itemMin?: number;
  itemMax?: number;
}
/** Free-form JSON value (e.g. a search space); validated by the node itself. */
export type JsonParam = ParamBase<'json', unknown>;

export type ParamSpec =
  | NumberParam
  | SelectParam
  | BooleanParam
  | TextParam
  | ColumnParam
  | ColumnsParam
  | ListParam
  | JsonParam;

export type ParamSpecs = Record<string, ParamSpec>;

/** The value type a spec holds. */
export type ParamValue<S extends ParamSpec> = S['default'];
export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> };

type Opts<S> = Omit<S, 'kind' | 'default'>;

/** Builders, so node files read `p.int(10, { min: 1 })`. */
export const p = {
  number: (def: number, o: Opts<NumberParam> = {}): NumberParam => ({ kind: 'number', default: def, ...o }),
  int: (def: number, o: Opts<NumberParam> = {}): NumberParam => ({ kind: 'int', default: def, ...o }),
  select: <const T extends string>(options: readonly T[], def: NoInfer<T>, o: Omit<Opts<SelectParam>, 'options'> = {}): SelectParam<T> => ({
    kind: 'select',
    default: def,
    options,
    ...o,
  }),
  boolean: (def: boolean, o: Opts<BooleanParam> = {}): BooleanParam => ({ kind: 'boolean', default: def, ...o }),
  text: (def = '', o: Opts<TextParam> = {}): TextParam => ({ kind: 'text', default: def, ...o }),
  column: (o: Partial<Opts<ColumnParam>> = {}, def = ''): ColumnParam => ({
    kind: 'column',
    default: def,
    columnKind: 'any',
    ...o,
  }),
  columns: (o: Partial<Opts<ColumnsParam>> = {}, def: string[] = []): ColumnsParam => ({
    kind: 'columns',
    default: def,
    columnKind: 'any',
    ...o,
  }),
  list: (def: (number | string)[], o: Partial<Opts<ListParam>> = {}): ListParam => ({
    kind: 'list',
    default: def,
    itemKind: 'number',
    ...o,
  }),
  json: (def: unknown, o: Opts<JsonParam> = {}): JsonParam => ({ kind: 'json', default: def, ...o }),
};

/**
 * Checks one value against its spec. Returns a human message, or null when valid.
 * Values are never clamped or coerced here: a bad value is reported, not fixed.
 */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'number':
    case 'int': {
      if (typeof value !== 'number' || Number.isNaN(value)) return 'must be a number';
      if (!Number.isFinite(value)) return 'must be finite';
      if (spec.kind === 'int' && !Number.isInteger(value)) return 'must be a whole number';
      if (spec.min !== undefined && value < spec.min) return `must be ≥ ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `must be ≤ ${spec.max}`;
      return null;
    }
    case 'select':
      if (typeof value !== 'string') return 'must be text';
      return spec.options.includes(value) ? null : `must be one of ${spec.options.join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'text':
      if (typeof value !== 'string') return 'must be text';
      if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) return `does not match ${spec.pattern}`;
      return null;
    case 'column':
      return typeof value === 'string' ? null : 'must be a column name';
    case 'columns':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'must be a list of column names';
    case 'list': {
      if (!Array.isArray(value)) return 'must be a list';
      if (spec.minItems !== undefined && value.length < spec.minItems) return `needs at least ${spec.minItems} item(s)`;
      if (spec.maxItems !== undefined && value.length > spec.maxItems) return `takes at most ${spec.maxItems} item(s)`;
      for (const item of value) {
        if (spec.itemKind === 'text') {
          if (typeof item !== 'string') return 'every item must be text';
          continue;
        }
        if (typeof item !== 'number' || !Number.isFinite(item)) return 'every item must be a number';
        if (spec.itemKind === 'int' && !Number.isInteger(item)) return 'every item must be a whole number';
        if (spec.itemMin !== undefined && item < spec.itemMin) return `every item must be ≥ ${spec.itemMin}`;
        if (spec.itemMax !== undefined && item > spec.itemMax) return `every item must be ≤ ${spec.itemMax}`;
      }
      return null;
    }
    case 'json':
      return value === undefined ? 'is missing' : null;
  }
}

/**
 * Parses a value typed as text (CLI `--set`, an inspector field) into the spec's type.
 * Throws with a message when it cannot; range checks are left to `checkParam`.
 */
export function parseParamText(spec: ParamSpec, text: string): unknown {
  switch (spec.kind) {
    case 'number':
    case 'int': {
      const n = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(n)) throw new Error(`"${text}" is not a number`);
      return n;
    }
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      throw new Error(`"${text}" is not true/false`);
    case 'columns':
      return text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
    case 'list':
      return text.trim() === ''
        ? []
        : text.split(',').map((s) => {
            if (spec.itemKind === 'text') return s.trim();
            const n = Number(s.trim());
            if (Number.isNaN(n)) throw new Error(`"${s}" is not a number`);
            return n;
          });
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`"${text}" is not valid JSON`);
      }
    default:
      return text;
  }
}

export function defaultParams(specs: ParamSpecs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = structuredClone(spec.default);
  return out;
}
