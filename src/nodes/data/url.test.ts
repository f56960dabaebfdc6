import { describe, expect, it } from 'vitest';
import type { Table } from '../../data/types';
import { runNode } from './testing';
import { dataUrl } from './url';

describe('data.url', () => {
  it('reads a URL through readFile and parses JSON by its extension', async () => {
    const asked: string[] = [];
    const services = {
      backend: 'cpu',
      readFile: async (url: string) => {
        asked.push(url);
        return new TextEncoder().encode('[{"a":1,"b":"x"},{"a":2,"b":"y"}]');
      },
    };
    const { outputs, summary } = await runNode(dataUrl, { params: { url: 'https://example.org/d/rows.json?x=1' }, services });
    expect(asked).toEqual(['https://example.org/d/rows.json?x=1']);
    expect((outputs.table as Table).rowCount).toBe(2);
    expect(summary?.text).toBe('rows.json: 2 rows × 2 cols');
  });

  it('refuses non-http schemes and an empty URL', async () => {
    await expect(runNode(dataUrl, { params: { url: 'file:///etc/passwd' } })).rejects.toThrow(/Only http\(s\) URLs/);
    await expect(runNode(dataUrl, { params: { url: '' } })).rejects.toThrow(/give a URL/);
  });
});
