/**
 * The zod every schema in the app uses: zod/mini (functional, tree-shakable), so the first
 * load carries only the validators our schemas use, not classic zod's method chains.
 *
 * zod/mini loads no locale: without one every issue reads "Invalid input". Messages users
 * see (graph-file import errors, damaged records) are built from zod's English wording, so
 * `zodMessage` writes that wording for the issues our schemas can raise; a test checks it
 * against zod's English locale. Set as `customError`, it also wins over a locale that
 * classic zod (which configures English when imported) could install.
 */
import * as z from 'zod/mini';

type Issue = z.core.$ZodRawIssue;

/** "number" for 3, "array" for [], "Uint8Array" for bytes, "NaN"/"Infinity" for those numbers: zod's names. */
function typeName(input: unknown): string {
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  const type = z.util.parsedType(input);
  return type === 'nan' ? 'NaN' : type;
}

function quoted(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? `"${value}"` : `${value}`;
}

const SIZE_UNITS: Record<string, string> = { string: 'characters', file: 'bytes', array: 'items', set: 'items', map: 'entries' };

function bound(issue: { origin?: string; inclusive?: boolean; exact?: boolean }, limit: unknown, strictWord: '<' | '>', word: string): string {
  const adjective = issue.exact ? 'exactly ' : issue.inclusive ? `${strictWord}=` : strictWord;
  const unit = issue.origin ? SIZE_UNITS[issue.origin] : undefined;
  const origin = issue.origin ?? 'value';
  return unit ? `${word}: expected ${origin} to have ${adjective}${String(limit)} ${unit}` : `${word}: expected ${origin} to be ${adjective}${String(limit)}`;
}

/** zod's English message for the issue kinds our schemas raise; undefined lets zod fall back to "Invalid input". */
export function zodMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected === 'nan' ? 'NaN' : issue.expected}, received ${typeName(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join('|')}`;
    case 'too_small':
      return bound(issue, issue.minimum, '>', 'Too small');
    case 'too_big':
      return bound(issue, issue.maximum, '<', 'Too big');
    default:
      return undefined;
  }
}

z.config({ customError: zodMessage });

export { z };
