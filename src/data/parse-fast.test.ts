/**
 * The ingest hot path: quote-free text is read cell by cell in place (no row arrays), and
 * plain decimals are read without making their substring. Both must give exactly what the
 * general path (PapaParse rows, Number()) gives.
 */
import { describe, expect, it } from 'vitest';
import { plainDecimal } from './infer';
import { parseDelimited } from './parse';
import type { Table } from './types';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('plainDecimal', () => {
  it('gives the same double as Number() for plain decimals, bit for bit', () => {
    const random = seeded(7);
    const cases = ['0', '-0', '+3', '7.', '.5', '-.25', '0.1', '0.3', '123456789012345', '-999999999999999', '1.00000000000001', '0.00000000000001', '00012.50'];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(random() * 15);
      let text = '';
      for (let d = 0; d < digits; d++) text += String(Math.floor(random() * 10));
      const point = Math.floor(random() * (digits + 1));
      if (random() < 0.8) text = `${text.slice(0, point)}.${text.slice(point)}`;
      cases.push(random() < 0.3 ? `-${text}` : text);
    }
    for (const text of cases) {
      const fast = plainDecimal(text, 0, text.length);
      expect(Object.is(fast, Number(text)), `${text}: ${fast} vs ${Number(text)}`).toBe(true);
    }
  });

  it('reads only the span it is given', () => {
    expect(plainDecimal('a,-12.5,b', 2, 7)).toBe(-12.5);
  });

  it('leaves everything else to the general path (NaN here)', () => {
    for (const text of ['', '-', '.', '+.', '1e5', '1.2.3', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '1,5', '1234567890123456', '12a']) {
      expect(plainDecimal(text, 0, text.length), text).toBeNaN();
    }
  });
});

/** Every cell quoted: the same values, read through PapaParse's rows instead of in place. */
function quoteAll(csv: string, newline: string): string {
  return csv
    .split(newline)
    .map((line) => (line === '' ? line : line.split(',').map((cell) => `"${cell}"`).join(',')))
    .join(newline);
}

function snapshot(table: Table): unknown {
  return { rowCount: table.rowCount, warnings: table.warnings ?? [], columns: table.columns.map((c) => ({ ...c, values: 'values' in c ? Array.from(c.values as ArrayLike<unknown>) : undefined, codes: 'codes' in c ? Array.from(c.codes) : undefined })) };
}

describe('quote-free text read in place', () => {
  const random = seeded(11);
  const lines = ['n,neg,sci,mixed,colour,flag,blank,spaced'];
  for (let r = 0; r < 3000; r++) {
    lines.push(
      [
        (random() * 1000).toFixed(3),
        random() < 0.05 ? '' : (-random() * 50).toFixed(1),
        `${(random() * 9).toFixed(2)}e${Math.floor(random() * 5) - 2}`,
        random() < 0.01 ? 'NA' : String(Math.floor(random() * 100)),
        ['red', 'green', 'blue'][Math.floor(random() * 3)],
        random() < 0.5 ? 'true' : 'false',
        '',
        ` ${Math.floor(random() * 10)} `,
      ].join(','),
    );
    if (r === 1500) lines.push('');
  }
  const csv = `${lines.join('\n')}\n`;

  it('gives the same table as PapaParse rows (LF and CRLF, one piece or many)', async () => {
    for (const newline of ['\n', '\r\n']) {
      const text = csv.replace(/\n/g, newline);
      const general = await parseDelimited(quoteAll(text, newline));
      const fast = await parseDelimited(text);
      expect(fast.table.rowCount).toBe(3000);
      expect(snapshot(fast.table)).toEqual(snapshot(general.table));
      // Bytes go through the decoder in pieces: rows cut across pieces join up.
      const bytes = await parseDelimited(new TextEncoder().encode(text));
      expect(snapshot(bytes.table)).toEqual(snapshot(general.table));
    }
  });

  it('names a ragged row with its line, as the general path does', async () => {
    const text = 'a,b,c\n1,2,3\n\n4,5\n6,7,8\n';
    await expect(parseDelimited(text)).rejects.toThrow('Row 2 (line 4) has 2 field(s) but the header has 3');
    await expect(parseDelimited('a,b\n1,2,3\n')).rejects.toThrow('Row 1 (line 2) has 3 field(s) but the header has 2');
  });

  it('a file with a quoted cell somewhere still reads every row', async () => {
    const text = `${lines.slice(0, 2000).join('\n')}\n"x, quoted",${lines[1].split(',').slice(1).join(',')}\n${lines.slice(2000).join('\n')}\n`;
    const { table } = await parseDelimited(text);
    expect(table.rowCount).toBe(3001);
    const first = table.columns[0];
    // Header and the blank line come before it: data row 1999.
    expect(first.dtype === 'text' && first.values.indexOf('x, quoted')).toBe(1998);
    expect(table.columns[1]).toMatchObject({ dtype: 'number' });
  });
});
