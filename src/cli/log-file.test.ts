import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repairTornLine, RotatingJsonlFile } from './log-file';
import { fullDisk } from './testing';

const line = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(40) });
const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number });

let directory: string;
afterEach(() => rmSync(directory, { recursive: true, force: true }));
const tempPath = () => join((directory = mkdtempSync(join(tmpdir(), 'log-file-'))), 'log.jsonl');

describe('RotatingJsonlFile on a full disk', () => {
  it('takes back a half-written line, so the file stays whole lines, and appends cleanly once space is freed', () => {
    const path = tempPath();
    const disk = fullDisk(130); // room for two lines (~58 bytes each) and a part of the third
    const file = new RotatingJsonlFile(path, 1_000_000, 3, disk);
    file.append([line(1)]);
    file.append([line(2)]);
    expect(() => file.append([line(3)])).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe(`${line(1)}\n${line(2)}\n`);
    expect(() => file.append([line(4), line(5)])).toThrow(/ENOSPC/);
    disk.free = 1_000_000;
    file.append([line(6)]);
    file.close();
    expect(jsonLines(readFileSync(path, 'utf8')).map((r) => r.i)).toEqual([1, 2, 6]);
  });

  it('when even taking the fragment back fails, cuts it off before the next line', () => {
    const path = tempPath();
    const disk = fullDisk(80);
    const file = new RotatingJsonlFile(path, 1_000_000, 3, disk);
    file.append([line(1)]);
    disk.failTruncate = true;
    expect(() => file.append([line(2)])).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).not.toMatch(/\n$/); // the fragment is there for now
    disk.failTruncate = false;
    disk.free = 1_000_000;
    file.append([line(3)]);
    file.close();
    expect(jsonLines(readFileSync(path, 'utf8')).map((r) => r.i)).toEqual([1, 3]);
  });
});

describe('RotatingJsonlFile on restart', () => {
  it('repairs a torn last line left by an interrupted write, and says how much it removed', () => {
    const path = tempPath();
    const torn = line(2).slice(0, 25);
    writeFileSync(path, `${line(1)}\n${torn}`);
    const file = new RotatingJsonlFile(path);
    expect(file.repairedBytes).toBe(torn.length);
    file.append([line(3)]);
    file.close();
    expect(jsonLines(readFileSync(path, 'utf8')).map((r) => r.i)).toEqual([1, 3]);
  });

  it('finds the last newline far back (a torn line longer than one read), and leaves a whole file alone', () => {
    const path = tempPath();
    writeFileSync(path, `${line(1)}\n${'y'.repeat(200_000)}`);
    expect(repairTornLine(path)).toBe(200_000);
    expect(readFileSync(path, 'utf8')).toBe(`${line(1)}\n`);
    expect(repairTornLine(path)).toBe(0);
    writeFileSync(path, 'no newline at all');
    expect(repairTornLine(path)).toBe(17);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(repairTornLine(join(directory, 'missing.jsonl'))).toBe(0);
  });
});
