import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineColumn } from './json-syntax';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('locates common mistakes', () => {
    expect(findJsonSyntaxError('{"a": 1,}')).toMatchObject({ offset: 8, line: 1, column: 9, message: 'expected a double-quoted property name, found "}"' });
    expect(findJsonSyntaxError("{'a': 1}")).toMatchObject({ column: 2, message: `expected a double-quoted property name, found "'"` });
    expect(findJsonSyntaxError('{"a" 1}')).toMatchObject({ message: `expected ':' after the property name, found "1"` });
    expect(findJsonSyntaxError('{"a": 1 "b": 2}')).toMatchObject({ message: `expected ',' or '}' after a property value, found "\\""` });
    expect(findJsonSyntaxError('[1 2]')).toMatchObject({ column: 4, message: `expected ',' or ']' after an array item, found "2"` });
    expect(findJsonSyntaxError('{"a": "unterminated')).toMatchObject({ column: 7, message: 'string is never closed' });
    expect(findJsonSyntaxError('"bad \\x escape"')).toMatchObject({ column: 6, message: 'invalid escape sequence in string' });
    expect(findJsonSyntaxError('[01]')).toMatchObject({ message: `expected ',' or ']' after an array item, found "1"` });
    expect(findJsonSyntaxError('[-]')).toMatchObject({ message: 'invalid number' });
    expect(findJsonSyntaxError('[tru]')).toMatchObject({ message: 'expected a value, found "t"' });
    expect(findJsonSyntaxError('{\n  "a": [\n    NaN\n  ]\n}')).toMatchObject({ line: 3, column: 5 });
  });

  it('accepts valid JSON', () => {
    expect(findJsonSyntaxError(' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]} ')).toBeNull();
  });

  it('agrees with JSON.parse on valid documents and on corrupted ones', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '{', '[', '-'), (value, at, junk) => {
        const text = JSON.stringify(value, null, at % 3);
        expect(findJsonSyntaxError(text)).toBeNull();
        const position = at % (text.length + 1);
        const corrupted = text.slice(0, position) + junk + text.slice(position + (at % 2));
        expect(findJsonSyntaxError(corrupted) === null).toBe(parses(corrupted));
      }),
      { numRuns: 500 },
    );
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
