/**
 * The key a picked file's stored copy goes under. The inspector computes it on the main thread
 * too, so it lives with the specs; apart from parse.ts so that its hash code (canonical JSON,
 * SHA-256) loads only when the inspector shows a picked file, not with the page.
 */
import { checkTypeOverrides } from '../../data/infer';
import { canonicalHash } from '../../engine/hash';
import { isDefaultParse, type ParseParamValues } from './parse';

/**
 * Where a picked file's table is stored: under the file's hash when read with default
 * options, else under the hash plus the options (another reading of the same bytes is
 * another dataset). A `data.file` node refers to its stored copy by this key.
 */
export function storedCopyKey(hash: string, params: ParseParamValues): string {
  const overrides = checkTypeOverrides(params.typeOverrides);
  if (isDefaultParse(params, overrides)) return hash;
  return `${hash}+${canonicalHash({ format: params.format, delimiter: params.delimiter, header: params.header, typeOverrides: overrides })}`;
}

