import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileReader, PUBLIC_DIR } from './files';

describe('CLI readFile', () => {
  it('finds bundled samples in the package from any directory', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ps-files-'));
    const bytes = await createFileReader(cwd)('samples/iris.csv');
    expect(new TextDecoder().decode(bytes.slice(0, 12))).toMatch(/^sepal length/);
    expect(PUBLIC_DIR).toMatch(/public$/);
  });

  it('prefers a file of that name in the working directory', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ps-files-'));
    await mkdir(join(cwd, 'samples'));
    await writeFile(join(cwd, 'samples', 'iris.csv'), 'mine\n');
    expect(new TextDecoder().decode(await createFileReader(cwd)('samples/iris.csv'))).toBe('mine\n');
  });

  it('reads plain paths relative to the working directory and says where it looked', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ps-files-'));
    await writeFile(join(cwd, 'data.csv'), 'a\n1\n');
    const read = createFileReader(cwd);
    expect(new TextDecoder().decode(await read('data.csv'))).toBe('a\n1\n');
    await expect(read('nope.csv')).rejects.toThrow(`Cannot read nope.csv: no such file (looked in ${join(cwd, 'nope.csv')})`);
    await expect(read('.')).rejects.toThrow(/Cannot read \.: it is a directory/);
  });
});
