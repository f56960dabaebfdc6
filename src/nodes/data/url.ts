import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { fileName, loadTable, parseParams, tableSummary } from './load';

export const dataUrl = defineNode({
  type: 'data.url',
  version: 1,
  title: 'URL',
  stage: 'data',
  description: 'A CSV/JSON file fetched from a URL (same origin, or a server that allows it).',
  inputs: {},
  outputs: { table: port('table') },
  params: { url: p.text('', { label: 'URL', placeholder: 'https://example.org/data.csv' }), ...parseParams },
  check: (params) => (params.url.trim() === '' ? { url: 'give a URL' } : null),
  run: async ({ params, services, signal, progress }) => {
    const url = params.url.trim();
    if (url === '') throw new Error('No URL given');
    if (/^(?!https?:)[a-z][a-z0-9+.-]*:/i.test(url)) throw new Error(`Only http(s) URLs can be read (got "${url.split(':')[0]}:")`);
    if (!services.readFile) throw new Error('This runtime cannot fetch URLs (no readFile service)');
    const bytes = await services.readFile(url, signal);
    return { table: await loadTable({ services, signal, progress }, fileName(url) || url, bytes, params) };
  },
  summarize: ({ table }) => ({ text: `${table.source?.name ?? 'url'}: ${tableSummary(table)}` }),
});
