import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseDelimited, parseDelimitedStream, StreamTextDecoder } from './parse';
import { cellValue, getColumn } from './table';
import type { CategoryColumn, Column, NumericColumn, Table } from './types';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/samples/${name}`, import.meta.url)));
const encode = (text: string) => new TextEncoder().encode(text);

/** A stream handing out `bytes` in pieces of `size` bytes, counting how many it handed out. */
function chunkedStream(bytes: Uint8Array, size: number): { stream: ReadableStream<Uint8Array>; handedOut: () => number; cancelled: () => boolean } {
  let at = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, handedOut: () => Math.min(at, bytes.length), cancelled: () => cancelled };
}

function columnValues(column: Column): unknown[] {
  return Array.from({ length: column.dtype === 'text' ? column.values.length : 'codes' in column ? column.codes.length : column.values.length }, (_, i) => cellValue(column, i));
}

function expectSameTable(a: Table, b: Table): void {
  expect(a.rowCount).toBe(b.rowCount);
  expect(a.columns.map((c) => [c.name, c.dtype])).toEqual(b.columns.map((c) => [c.name, c.dtype]));
  a.columns.forEach((column, j) => expect(columnValues(column)).toEqual(columnValues(b.columns[j])));
}

describe('parseDelimitedStream', () => {
  it.each([1, 7, 4096])('reads penguins in %i-byte chunks exactly as the whole-bytes parser does', async (size) => {
    const bytes = sample('penguins.csv');
    const whole = await parseDelimited(bytes);
    const streamed = await parseDelimitedStream(chunkedStream(bytes, size).stream, { totalBytes: bytes.length });
    expectSameTable(streamed.table, whole.table);
    expect(streamed.warnings).toEqual(whole.warnings);
  });

  it('joins quoted newlines, CRLF line ends and multi-byte characters split across chunks', async () => {
    const text = '\uFEFFname;note;n\r\n"zoë";"two\r\nlines; one field";1\r\n"ann";"say ""hi""";2\r\n';
    const bytes = encode(text);
    for (const size of [1, 2, 3, 5]) {
      const { table, delimiter, encoding } = await parseDelimitedStream(chunkedStream(bytes, size).stream, { typeOverrides: { note: 'text', name: 'text' } });
      expect(delimiter).toBe(';');
      expect(encoding).toBe('utf-8');
      expect(table.columns.map((c) => c.name)).toEqual(['name', 'note', 'n']);
      expect(columnValues(getColumn(table, 'name'))).toEqual(['zoë', 'ann']);
      expect(columnValues(getColumn(table, 'note'))).toEqual(['two\r\nlines; one field', 'say "hi"']);
      expect(Array.from((getColumn(table, 'n') as NumericColumn).values)).toEqual([1, 2]);
    }
  });

  it('switches to windows-1252 at the first invalid byte, keeping what came before', async () => {
    const bytes = new Uint8Array([...encode('name,n\ntea,1\n'), ...encode('caf'), 0xe9, ...encode(',2\n')]);
    const { table, encoding, warnings } = await parseDelimitedStream(chunkedStream(bytes, 4).stream);
    expect(encoding).toBe('windows-1252');
    expect(warnings.join(' ')).toMatch(/not valid UTF-8/);
    expect(columnValues(getColumn(table, 'name'))).toEqual(['tea', 'café']);
  });

  it('reads UTF-16 with a BOM from odd-sized chunks', async () => {
    const text = 'naïve\tn\ncafé\t1\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    const { table, encoding } = await parseDelimitedStream(chunkedStream(bytes, 3).stream);
    expect(encoding).toBe('utf-16le');
    expect(cellValue(getColumn(table, 'naïve'), 0)).toBe('café');
  });

  it('refuses an over-limit size before reading a single byte', async () => {
    const source = chunkedStream(encode('a,b\n1,2\n'), 4);
    await expect(parseDelimitedStream(source.stream, { totalBytes: 200 * 1024 * 1024 })).rejects.toThrow(/The file is 200\.0 MB; the limit is 150\.0 MB/);
    expect(source.handedOut()).toBe(0);
  });

  it('stops a stream of unknown length once it passes the limit, and cancels the source', async () => {
    const bytes = encode('a,b\n' + '1,2\n'.repeat(10_000)); // 40 KB
    const source = chunkedStream(bytes, 1024);
    await expect(parseDelimitedStream(source.stream, { maxBytes: 10_000 })).rejects.toThrow(/the limit is 9\.8 KB/);
    expect(source.handedOut()).toBeLessThan(12_000);
    expect(source.cancelled()).toBe(true);
  });

  it('reports progress by bytes, rising to 1, and stops when cancelled', async () => {
    const bytes = encode('a,b,c\n' + '123.456,789.012,word\n'.repeat(200_000)); // ≈ 4 MB
    const seen: number[] = [];
    await parseDelimitedStream(chunkedStream(bytes, 64 * 1024).stream, { totalBytes: bytes.length, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.at(-1)).toBe(1);
    const controller = new AbortController();
    const source = chunkedStream(bytes, 64 * 1024);
    const cancelled = parseDelimitedStream(source.stream, { totalBytes: bytes.length, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toThrow(/cancelled|abort/i);
    expect(source.cancelled()).toBe(true);
    expect(source.handedOut()).toBeLessThan(bytes.length);
  });

  it('still refuses empty and header-only streams and names a ragged row', async () => {
    await expect(parseDelimitedStream(chunkedStream(new Uint8Array(), 8).stream)).rejects.toThrow(/empty/);
    await expect(parseDelimitedStream(chunkedStream(encode('a,b,c\n'), 2).stream)).rejects.toThrow(/header row \(a, b, c\) but no data rows/);
    await expect(parseDelimitedStream(chunkedStream(encode('a,b\n1,"x\ny"\n3\n'), 3).stream)).rejects.toThrow(/Row 2 \(line 4\) has 1 field/);
  });

  it('keeps memory bounded while streaming a generated 20 MB file: chunks and typed columns, never the whole text', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    // Rows of a number and a long label (8 distinct): ≈ 310 bytes of text per row, ~20 bytes of column per row.
    const labels = Array.from({ length: 8 }, (_, k) => `label ${k} `.padEnd(300, String.fromCharCode(97 + k)));
    const fileBytes = 20 * 1024 * 1024;
    const encoder = new TextEncoder();
    let produced = 0;
    let row = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (produced >= fileBytes) return controller.close();
          let text = produced === 0 ? 'x,label\n' : '';
          while (text.length < 256 * 1024) text += `${row % 1000},"${labels[row++ % 8]}"\n`;
          const bytes = encoder.encode(text);
          produced += bytes.length;
          controller.enqueue(bytes);
        },
      },
      { highWaterMark: 0 },
    );
    // Array buffers are released a little after the collection that frees them: let that finish first.
    for (let i = 0; i < 3; i++) {
      live();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const baseline = live();
    let peak = 0;
    const { table } = await parseDelimitedStream(stream, { totalBytes: fileBytes + 1024 * 1024, onProgress: () => (peak = Math.max(peak, live() - baseline)) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const retained = live() - baseline;
    expect(table.rowCount).toBe(row);
    expect((getColumn(table, 'label') as CategoryColumn).categories).toHaveLength(8);
    console.info(
      `streamed ${(produced / 2 ** 20).toFixed(1)} MB, ${row} rows: peak live memory +${(peak / 2 ** 20).toFixed(1)} MB during the parse, ` +
        `+${(retained / 2 ** 20).toFixed(1)} MB retained (the table)`,
    );
    expect(produced).toBeGreaterThanOrEqual(fileBytes);
    // Holding the text alone would be ≥ 20 MB (and PapaParse's row arrays several times that).
    expect(peak).toBeLessThan(produced * 0.5);
  });
});

describe('StreamTextDecoder', () => {
  it('decodes a UTF-8 text cut at every byte the same as in one piece, dropping only a leading BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encode('a€b😀c\uFEFFd')]);
    const decoder = new StreamTextDecoder();
    let text = '';
    for (const byte of bytes) text += decoder.push(new Uint8Array([byte]));
    text += decoder.end();
    expect(text).toBe('a€b😀c\uFEFFd');
    expect(decoder.encoding).toBe('utf-8');
    expect(decoder.warnings).toEqual([]);
  });

  it('reads a truncated multi-byte character at the end as windows-1252 with a warning', () => {
    const decoder = new StreamTextDecoder();
    const text = decoder.push(new Uint8Array([0x61, 0xe2])) + decoder.end();
    expect(text).toBe('aâ');
    expect(decoder.warnings.join(' ')).toMatch(/not valid UTF-8/);
  });
});

describe('row groups handed to a sink while parsing', () => {
  // 25,000 rows (about 230 KB: more than is read before the delimiter is guessed), a column that turns to text (quoted: the PapaParse path) at its last row.
  const rows = Array.from({ length: 25_000 }, (_, i) => `${i * 0.5},${i === 24_999 ? '"late, text"' : i % 7}`);
  const csv = encode(`a,b\n${rows.join('\n')}\n`);

  it('hands every row once, in order, in groups of the asked size, before the parse returns', async () => {
    const groups: { start: number; columns: Float64Array[]; handedOut: number }[] = [];
    const source = chunkedStream(csv, 4096);
    const result = await parseDelimitedStream(source.stream, {
      rowGroups: { rowsPerGroup: 10_000, write: async (start, columns) => void groups.push({ start, columns, handedOut: source.handedOut() }) },
    });
    expect(groups.map((g) => [g.start, g.columns[0].length])).toEqual([
      [0, 10_000],
      [10_000, 10_000],
      [20_000, 5000],
    ]);
    // The first groups left while the file was still being read.
    expect(groups[0].handedOut).toBeLessThan(csv.length);
    // A number column's groups are its final values; the other column's are its cells read as numbers.
    const a = getColumn(result.table, 'a') as NumericColumn;
    expect(Array.from(groups.flatMap((g) => Array.from(g.columns[0])))).toEqual(Array.from(a.values));
    expect(getColumn(result.table, 'b').dtype).toBe('category');
    expect(groups[2].columns[1][4998]).toBe(24_998 % 7);
    expect(groups[2].columns[1][4999]).toBeNaN();
  });

  it('waits for one write before the next, and stops with a write’s error', async () => {
    let inFlight = 0;
    let most = 0;
    const write = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
    };
    await parseDelimited(csv, { rowGroups: { rowsPerGroup: 1000, write } });
    expect(most).toBe(1);
    const failing = parseDelimited(csv, { rowGroups: { rowsPerGroup: 1000, write: async () => Promise.reject(new Error('disk gone')) } });
    await expect(failing).rejects.toThrow('disk gone');
  });
});
