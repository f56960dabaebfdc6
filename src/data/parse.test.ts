import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentHash } from './hash';
import { parseData, parseDelimited, parseJson, parseJsonLines } from './parse';
import { cellValue, getColumn } from './table';
import type { CategoryColumn, NumericColumn } from './types';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/samples/${name}`, import.meta.url)));

describe('parseDelimited on the bundled samples', () => {
  it('reads iris: 150 rows, 4 numeric columns and a category species', async () => {
    const { table, warnings, delimiter } = await parseDelimited(sample('iris.csv'));
    expect(table.rowCount).toBe(150);
    expect(delimiter).toBe(',');
    expect(warnings).toEqual([]);
    expect(table.columns.map((c) => c.dtype)).toEqual(['number', 'number', 'number', 'number', 'category']);
    const species = getColumn(table, 'species') as CategoryColumn;
    expect(species.categories).toEqual(['setosa', 'versicolor', 'virginica']);
    expect((getColumn(table, 'sepal length (cm)') as NumericColumn).values[0]).toBe(5.1);
  });

  it('reads penguins with its missing values (NA / empty) as missing', async () => {
    const { table } = await parseDelimited(sample('penguins.csv'));
    expect(table.rowCount).toBe(344);
    const mass = getColumn(table, 'Body Mass (g)') as NumericColumn;
    expect(mass.dtype).toBe('number');
    expect(Array.from(mass.values).filter(Number.isNaN).length).toBe(2);
    const sex = getColumn(table, 'Sex') as CategoryColumn;
    expect(sex.dtype).toBe('category');
    expect(Array.from(sex.codes).filter((c) => c < 0).length).toBeGreaterThan(0);
  });

  it('reads digits: 64 pixel columns plus target', async () => {
    const { table } = await parseDelimited(sample('digits.csv'));
    expect(table.columns).toHaveLength(65);
    expect(table.rowCount).toBe(1797);
  });

  it('reports progress up to 1 and parses the same across small chunks', async () => {
    const seen: number[] = [];
    const { table } = await parseDelimited(sample('digits.csv'), { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(table.rowCount).toBe(1797);
  });
});

describe('parseDelimited edge cases', () => {
  it('refuses an empty file', async () => {
    await expect(parseDelimited('')).rejects.toThrow(/empty/);
    await expect(parseDelimited(new Uint8Array())).rejects.toThrow(/empty/);
  });

  it('refuses a header-only file, naming its columns', async () => {
    await expect(parseDelimited('a,b,c\n')).rejects.toThrow(/header row \(a, b, c\) but no data rows/);
  });

  it('names the line of a ragged row', async () => {
    await expect(parseDelimited('a,b,c\n1,2,3\n4,5\n')).rejects.toThrow(/Row 2 \(line 3\) has 2 field\(s\) but the header has 3/);
  });

  it('counts lines inside quoted newlines when naming a ragged row', async () => {
    await expect(parseDelimited('a,b\n1,"x\ny"\n3\n')).rejects.toThrow(/line 4/);
  });

  it('keeps quoted commas and newlines inside one field', async () => {
    const { table } = await parseDelimited('name,note\nann,"hello, world"\nbob,"two\nlines"\n', { typeOverrides: { note: 'text' } });
    expect(table.rowCount).toBe(2);
    expect(cellValue(getColumn(table, 'note'), 0)).toBe('hello, world');
    expect(cellValue(getColumn(table, 'note'), 1)).toBe('two\nlines');
  });

  it('drops a UTF-8 byte order mark from the first column name', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('x,y\n1,2\n')]);
    const { table } = await parseDelimited(bytes);
    expect(table.columns[0].name).toBe('x');
  });

  it('reads non-UTF-8 bytes as windows-1252 with a warning', async () => {
    // "café,1" in latin-1: é is 0xE9, which is invalid UTF-8 on its own.
    const bytes = new Uint8Array([...new TextEncoder().encode('name,n\ncaf'), 0xe9, ...new TextEncoder().encode(',1\ntea,2\n')]);
    const { table, warnings, encoding } = await parseDelimited(bytes);
    expect(encoding).toBe('windows-1252');
    expect(warnings.join(' ')).toMatch(/not valid UTF-8/);
    expect(cellValue(getColumn(table, 'name'), 0)).toBe('café');
  });

  it('reads UTF-16 (little-endian, with BOM) as Excel writes "Unicode text"', async () => {
    const text = 'naïve\tn\ncafé\t1\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    const { table, encoding } = await parseDelimited(bytes);
    expect(encoding).toBe('utf-16le');
    expect(table.columns.map((c) => c.name)).toEqual(['naïve', 'n']);
    expect(cellValue(getColumn(table, 'naïve'), 0)).toBe('café');
  });

  it('detects semicolons and tabs', async () => {
    const semi = await parseDelimited('a;b;c\n1;2;3\n4;5;6\n');
    expect(semi.delimiter).toBe(';');
    expect(semi.table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    const tab = await parseDelimited('a\tb\n1\t2\n3\t4\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.table.columns).toHaveLength(2);
  });

  it('renames duplicate column names with a warning', async () => {
    const { table, warnings } = await parseDelimited('x,x,y,x\n1,2,3,4\n');
    expect(table.columns.map((c) => c.name)).toEqual(['x', 'x_2', 'y', 'x_3']);
    expect(warnings.filter((w) => /Duplicate column name "x"/.test(w))).toHaveLength(2);
  });

  it('reads a numeric column with stray text as category and names the bad values and their rows', async () => {
    const { table, warnings } = await parseDelimited('age,n\n31,1\n40,2\nunknown,3\n22,4\n35,5\n');
    expect(getColumn(table, 'age').dtype).toBe('category');
    expect(warnings.join(' ')).toMatch(/Column "age" looks numeric but 1 cell is not a number: "unknown" \(row 3\): read as category/);
  });

  it('names Infinity, an overflowing 1e999 and a stray word with their rows, and reads NaN as missing', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i / 10},${i % 2 ? 'a' : 'b'}`);
    rows[3] = 'NaN,a';
    rows[10] = 'Infinity,b';
    rows[20] = '1e999,a';
    rows[7] = 'five,b';
    rows[25] = 'five,a';
    const { table, warnings } = await parseDelimited(`x,y\n${rows.join('\n')}\n`);
    expect(getColumn(table, 'x').dtype).toBe('category');
    expect(warnings).toEqual([
      'Column "x" looks numeric but 4 cells are not numbers: "five" (rows 8, 26), "Infinity" (row 11; not a finite number), ' +
        '"1e999" (row 21; not a finite number): read as category. Fix those cells, or set the column\'s type to number to read them as missing.',
    ]);
    // Not an encoding problem: nothing about UTF-8 is said.
    expect(warnings.join(' ')).not.toMatch(/UTF-8|encod/i);
  });

  it('forcing such a column to number turns the text into missing values, counted', async () => {
    const { table, warnings } = await parseDelimited('age\n31\n40\nunknown\n22\n', { typeOverrides: { age: 'number' } });
    const age = getColumn(table, 'age') as NumericColumn;
    expect(Array.from(age.values)).toEqual([31, 40, NaN, 22]);
    expect(warnings.join(' ')).toMatch(/"age" set to number: 1 text value\(s\) \("unknown"\) became missing/);
  });

  it('refuses an override naming an absent column', async () => {
    await expect(parseDelimited('a\n1\n', { typeOverrides: { b: 'number' } })).rejects.toThrow(/does not exist: "b"/);
  });

  it('infers boolean and datetime columns', async () => {
    const { table } = await parseDelimited('ok,when\ntrue,2020-01-02\nFALSE,2021-03-04T10:00:00Z\n,\n');
    expect(getColumn(table, 'ok').dtype).toBe('boolean');
    expect(Array.from((getColumn(table, 'ok') as NumericColumn).values)).toEqual([1, 0, NaN]);
    const when = getColumn(table, 'when') as NumericColumn;
    expect(when.dtype).toBe('datetime');
    expect(when.values[0]).toBe(Date.UTC(2020, 0, 2));
  });

  it('keeps an all-missing column (roles refuses it later) as an all-NaN number column', async () => {
    const { table } = await parseDelimited('a,b\n1,\n2,NA\n');
    expect(Array.from((getColumn(table, 'b') as NumericColumn).values).every(Number.isNaN)).toBe(true);
  });

  it('refuses more than 2000 columns', async () => {
    const head = Array.from({ length: 2001 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 2001 }, () => '1').join(',');
    await expect(parseDelimited(`${head}\n${row}\n`)).rejects.toThrow(/2001 columns; at most 2000/);
  });

  it('refuses a file over the size limit with a size message', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(3000);
    await expect(parseDelimited(new TextEncoder().encode(text), { maxBytes: 10_000 })).rejects.toThrow(/The file is 11\.7 KB; the limit is 9\.8 KB/);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(parseDelimited('a\n1\n', { signal: controller.signal })).rejects.toThrow();
  });

  it('reports progress chunk by chunk on a multi-chunk file and stops mid-parse when cancelled', async () => {
    const text = 'a,b,c\n' + '123.456,789.012,word\n'.repeat(300_000); // ≈ 6 MB: several chunks
    const seen: number[] = [];
    const { table } = await parseDelimited(text, { onProgress: (f) => seen.push(f) });
    expect(table.rowCount).toBe(300_000);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    const controller = new AbortController();
    let calls = 0;
    const cancelled = parseDelimited(text, {
      signal: controller.signal,
      onProgress: () => {
        calls++;
        controller.abort();
      },
    });
    await expect(cancelled).rejects.toThrow(/cancelled|abort/i);
    expect(calls).toBe(1);
  });

  it('reads without a header', async () => {
    const { table } = await parseDelimited('1,2\n3,4\n', { header: false });
    expect(table.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
    expect(table.rowCount).toBe(2);
  });
});

describe('JSON ingest', () => {
  it('reads the cars sample (array of records) with nulls and dates', async () => {
    const { table } = await parseJson(sample('cars.json'));
    expect(table.rowCount).toBe(406);
    expect(getColumn(table, 'Year').dtype).toBe('datetime');
    expect(getColumn(table, 'Origin').dtype).toBe('category');
    expect(getColumn(table, 'Name').dtype).toBe('text');
    const mpg = getColumn(table, 'Miles_per_Gallon') as NumericColumn;
    expect(Array.from(mpg.values).filter(Number.isNaN).length).toBeGreaterThan(0);
  });

  it('reads an object of column arrays and refuses uneven ones', async () => {
    const { table } = await parseJson('{"a":[1,2],"b":["x","y"]}');
    expect(table.rowCount).toBe(2);
    await expect(parseJson('{"a":[1,2],"b":["x"]}')).rejects.toThrow(/"b" has 1 values but "a" has 2/);
  });

  it('refuses invalid JSON and empty arrays', async () => {
    await expect(parseJson('[{"a":1},')).rejects.toThrow(/Not valid JSON/);
    await expect(parseJson('[]')).rejects.toThrow(/empty/);
    await expect(parseJson('[1,2]')).rejects.toThrow(/Item 1 .* not an object/);
  });

  it('reads JSON lines and names a bad line', async () => {
    const { table } = await parseJsonLines('{"a":1,"b":"x"}\n\n{"a":2,"b":"y"}\n');
    expect(table.rowCount).toBe(2);
    await expect(parseJsonLines('{"a":1}\n{oops}\n')).rejects.toThrow(/Line 2 is not valid JSON/);
  });

  it('parseData picks the format from the name or content', async () => {
    expect((await parseData('{"a":1}\n{"a":2}\n', 'auto', 'x.jsonl')).table.rowCount).toBe(2);
    expect((await parseData('[{"a":1}]', 'auto', 'blob')).table.rowCount).toBe(1);
    expect((await parseData('a\tb\n1\t2\n', 'tsv', 'x')).table.columns).toHaveLength(2);
  });
});

describe('contentHash', () => {
  it('is the sha-256 hex of the bytes', () => {
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(contentHash(new TextEncoder().encode('abc'))).toBe(contentHash('abc'));
  });
});
