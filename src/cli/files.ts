/**
 * services.readFile for the CLI: plain paths resolve against the working directory;
 * `samples/<file>` (what the sample node asks for) falls back to the package's public/
 * directory, so bundled samples work from any directory; http(s) URLs are fetched.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../engine/errors';

/** The package's public/ directory (samples, examples). */
export const PUBLIC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../public');

/** What went wrong with a file, in words (read or write). */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (code === 'EEXIST') return 'it exists and is not a directory';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the file system is read-only';
  return errorMessage(error);
}

export function createFileReader(cwd = process.cwd(), publicDir = PUBLIC_DIR) {
  return async function readFileService(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      let response: Response;
      try {
        response = await fetch(pathOrUrl, { signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new Error(`Cannot read ${pathOrUrl}: ${errorMessage(error)}`);
      }
      if (!response.ok) throw new Error(`Cannot read ${pathOrUrl}: the server answered ${response.status} ${response.statusText}`.trim());
      return new Uint8Array(await response.arrayBuffer());
    }
    const local = isAbsolute(pathOrUrl) ? pathOrUrl : resolve(cwd, pathOrUrl);
    const candidates = [local];
    if (!isAbsolute(pathOrUrl) && /^samples\//.test(pathOrUrl)) candidates.push(resolve(publicDir, pathOrUrl));
    let firstError: unknown = null;
    for (const path of candidates) {
      try {
        return new Uint8Array(await readFile(path, { signal }));
      } catch (error) {
        if (signal?.aborted) throw error;
        firstError ??= error;
        if ((error as { code?: string }).code !== 'ENOENT') break;
      }
    }
    throw new Error(`Cannot read ${pathOrUrl}: ${describeFsError(firstError)} (looked in ${candidates.join(' and ')})`);
  };
}
