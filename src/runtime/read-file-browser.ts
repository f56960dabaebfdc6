import { errorMessage } from '../engine/errors';
/**
 * services.readFile in the browser: bundled samples (`samples/iris.csv`) resolve against the
 * app's own base URL; other same-origin URLs work too. Errors say what could not be read and why.
 */
export type FetchLike = (input: URL, init?: RequestInit) => Promise<Response>;

export function createFetchReader(appBase: URL, fetchImpl: FetchLike = (input, init) => fetch(input, init)) {
  return async function readFile(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array> {
    let url: URL;
    try {
      url = new URL(pathOrUrl, appBase);
    } catch {
      throw new Error(`"${pathOrUrl}" is not a valid path or URL`);
    }
    if (url.origin !== appBase.origin) {
      throw new Error(`Cannot read ${url.href}: this app only reads files it serves itself (other sites are blocked by its security policy). Download the file and open it instead.`);
    }
    let response: Response;
    try {
      response = await fetchImpl(url, { signal, credentials: 'same-origin' });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new Error(`Cannot read ${pathOrUrl}: ${errorMessage(error)}`);
    }
    if (!response.ok) {
      throw new Error(`Cannot read ${pathOrUrl}: the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    // A dev server answers unknown paths with the app's index.html: that is "not found", not data.
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/html') && !/\.html?$/i.test(url.pathname)) {
      throw new Error(`Cannot read ${pathOrUrl}: no such file is served by this app`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}
