import { describe, expect, it } from 'vitest';
import { createFetchReader, type FetchLike } from './read-file-browser';

const base = new URL('https://studio.example/app/');

function server(files: Record<string, { body: string; type?: string; status?: number }>): { fetch: FetchLike; requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    fetch: async (url) => {
      requested.push(url.href);
      const file = files[url.pathname];
      if (!file) return new Response('<!doctype html><title>app</title>', { status: 200, headers: { 'content-type': 'text/html' } });
      return new Response(file.body, { status: file.status ?? 200, headers: { 'content-type': file.type ?? 'text/csv' } });
    },
  };
}

describe('browser readFile', () => {
  it('resolves bundled samples against the app base URL', async () => {
    const s = server({ '/app/samples/iris.csv': { body: 'a,b\n1,2\n' } });
    const bytes = await createFetchReader(base, s.fetch)('samples/iris.csv');
    expect(new TextDecoder().decode(bytes)).toBe('a,b\n1,2\n');
    expect(s.requested).toEqual(['https://studio.example/app/samples/iris.csv']);
  });

  it('treats the dev server index.html fallback as not found', async () => {
    const s = server({});
    await expect(createFetchReader(base, s.fetch)('samples/missing.csv')).rejects.toThrow('Cannot read samples/missing.csv: no such file is served by this app');
  });

  it('reports HTTP errors with the status', async () => {
    const s = server({ '/app/data.csv': { body: 'nope', status: 404 } });
    await expect(createFetchReader(base, s.fetch)('data.csv')).rejects.toThrow(/answered 404/);
  });

  it('refuses other origins with an explanation instead of a CSP failure', async () => {
    const s = server({});
    await expect(createFetchReader(base, s.fetch)('https://elsewhere.example/x.csv')).rejects.toThrow(/only reads files it serves itself/);
    expect(s.requested).toEqual([]);
  });

  it('wraps network failures', async () => {
    const failing: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(createFetchReader(base, failing)('/app/x.csv')).rejects.toThrow('Cannot read /app/x.csv: Failed to fetch');
  });
});
