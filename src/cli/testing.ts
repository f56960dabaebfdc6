/** Test helpers for the CLI: a file system whose disk fills up. */
import * as fs from 'node:fs';
import type { LogFs } from './log-file';

export type FullDisk = LogFs & { free: number; failTruncate: boolean };

/**
 * The real file system with a disk that has `free` bytes left: a write fills it, then
 * fails with ENOSPC, as Linux does (a write that does not fit is cut short first).
 */
export function fullDisk(free: number): FullDisk {
  const disk = {
    ...fs,
    free,
    failTruncate: false,
    writeSync(fd: number, buffer: Uint8Array, offset = 0, length = buffer.length - offset): number {
      if (disk.free <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(length, disk.free);
      disk.free -= n;
      return fs.writeSync(fd, buffer, offset, n);
    },
    ftruncateSync(fd: number, length?: number): void {
      if (disk.failTruncate) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
      fs.ftruncateSync(fd, length);
    },
  };
  return disk as unknown as FullDisk;
}
