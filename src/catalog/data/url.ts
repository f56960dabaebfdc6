import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { parseParams } from './parse';

export const dataUrlSpec = defineSpec({
  type: 'data.url',
  version: 1,
  title: 'URL',
  stage: 'data',
  description: 'A CSV/JSON file fetched from a URL (same origin, or a server that allows it).',
  inputs: {},
  outputs: { table: port('table') },
  params: { url: p.text('', { label: 'URL', placeholder: 'https://example.org/data.csv' }), ...parseParams },
  check: (params) => (params.url.trim() === '' ? { url: 'give a URL' } : null),
});
