import { implement } from '../../engine/node';
import { dataSummary, fileName, loadTable, readSalt } from './load';
import { dataUrlSpec } from '../../catalog/data/url';

/** The URL to read, or throws why it cannot be read (checked before the salt reads anything). */
function checkedUrl(raw: string): string {
  const url = raw.trim();
  if (url === '') throw new Error('No URL given');
  if (/^(?!https?:)[a-z][a-z0-9+.-]*:/i.test(url)) throw new Error(`Only http(s) URLs can be read (got "${url.split(':')[0]}:")`);
  return url;
}

export const dataUrl = implement(dataUrlSpec, {
  // What the URL serves can change: the salt is the hash of a fresh read (a second GET on a
  // cache miss; the browser's HTTP cache usually answers it).
  cacheSalt: async (params, services, signal) => (services.readFile ? readSalt(services, checkedUrl(params.url), signal) : undefined),
  run: async ({ params, services, signal, progress }) => {
    const url = checkedUrl(params.url);
    if (!services.readFile) throw new Error('This runtime cannot fetch URLs (no readFile service)');
    const bytes = await services.readFile(url, signal);
    return { table: await loadTable({ services, signal, progress }, fileName(url) || url, bytes, params) };
  },
  summarize: ({ table }) => dataSummary(table.source?.name ?? 'url', table),
});
