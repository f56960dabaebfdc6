/**
 * The file-reading params the data nodes share. The key a picked file's stored copy goes
 * under is in stored-copy.ts.
 */
import { p } from '../../engine/params';

export const FORMATS = ['auto', 'csv', 'tsv', 'json', 'jsonl'] as const;

/** Params every file-reading node shares. */
export const parseParams = {
  format: p.select(FORMATS, 'auto', { help: 'auto: from the file name, else from the content' }),
  delimiter: p.text('', { label: 'Delimiter', help: 'empty: detect comma, semicolon, tab or pipe' }),
  header: p.boolean(true, { label: 'First row is the header' }),
  typeOverrides: p.json({}, { label: 'Column types', help: '{"column": "number" | "category" | "boolean" | "text" | "datetime"}' }),
  maxMB: p.number(150, { min: 1, max: 2048, label: 'Size limit (MB)' }),
};

export interface ParseParamValues {
  format: string;
  delimiter: string;
  header: boolean;
  typeOverrides: unknown;
  maxMB: number;
}

/** The parse settings of a node that has none (a sample) or leaves one out: parseParams' defaults. */
export const DEFAULT_PARSE: Readonly<ParseParamValues> = {
  format: parseParams.format.default,
  delimiter: parseParams.delimiter.default,
  header: parseParams.header.default,
  typeOverrides: parseParams.typeOverrides.default,
  maxMB: parseParams.maxMB.default,
};

export function isDefaultParse(params: ParseParamValues, overrides: Record<string, unknown>): boolean {
  return params.format === 'auto' && params.delimiter === '' && params.header && Object.keys(overrides).length === 0;
}
