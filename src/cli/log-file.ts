/**
 * The `serve --log` file: JSON lines appended to a size-bounded, rotated file that always
 * ends with a whole line. A write that fails half-way (disk full) is taken back before the
 * error is reported, and a file left with a torn last line (a crash, a full disk before
 * this version) is cut back to its last whole line when it is opened, so the next record
 * never gets glued onto a fragment and the file stays valid JSONL.
 */
import * as nodeFs from 'node:fs';

/** The file-system calls the log file makes (tests inject a failing one: a full disk). */
export type LogFs = Pick<typeof nodeFs, 'openSync' | 'closeSync' | 'writeSync' | 'readSync' | 'ftruncateSync' | 'fstatSync' | 'existsSync' | 'renameSync' | 'rmSync'>;

/** Bytes read per step when looking back for the last newline of a torn file. */
const SCAN_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Cuts the file at `path` back to its last newline (nothing when it ends with one or is
 * empty or missing). Returns the bytes removed. Shrinking a file needs no free space, so
 * this works on a full disk.
 */
export function repairTornLine(path: string, fs: LogFs = nodeFs): number {
  if (!fs.existsSync(path)) return 0;
  const fd = fs.openSync(path, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(SCAN_BYTES, size));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buffer.length);
      const length = end - start;
      fs.readSync(fd, buffer, 0, length, start);
      const at = buffer.subarray(0, length).lastIndexOf(NEWLINE);
      if (at >= 0) {
        end = start + at + 1;
        break;
      }
      end = start;
    }
    if (end < size) fs.ftruncateSync(fd, end);
    return size - end;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Appends JSON lines to a file that never grows past `maxBytes`: when the next write
 * would, the file becomes `<file>.1` (older ones shift to .2 … .keep, the oldest is dropped).
 */
export class RotatingJsonlFile {
  /** Bytes of a torn last line cut off when the file was opened (0 when it was whole). */
  readonly repairedBytes: number;
  private fd: number | null = null;
  private bytes: number;
  /** Where the file must be cut back to before the next write: a failed write's start, when taking it back failed too. */
  private cutBackTo: number | null = null;

  constructor(
    readonly path: string,
    readonly maxBytes = 10_000_000,
    readonly keep = 3,
    private readonly fs: LogFs = nodeFs,
  ) {
    this.repairedBytes = repairTornLine(path, fs);
    this.bytes = 0;
    if (fs.existsSync(path)) {
      const fd = this.open();
      this.bytes = fs.fstatSync(fd).size;
    }
  }

  /**
   * Appends the lines, all or nothing: when the write fails, whatever part of it reached the
   * file is removed and the error is thrown (the caller counts the lost records).
   * Synchronous on purpose: lines of concurrent requests never interleave.
   */
  append(lines: string[]): void {
    if (lines.length === 0) return;
    if (this.cutBackTo !== null) {
      this.truncate(this.cutBackTo);
      this.cutBackTo = null;
    }
    const data = Buffer.from(`${lines.join('\n')}\n`);
    if (this.bytes > 0 && this.bytes + data.length > this.maxBytes) this.rotate();
    const fd = this.open();
    const start = this.bytes;
    let written = 0;
    try {
      while (written < data.length) written += this.fs.writeSync(fd, data, written, data.length - written);
    } catch (error) {
      if (written > 0) {
        try {
          this.truncate(start);
        } catch {
          this.cutBackTo = start;
        }
      }
      throw error;
    }
    this.bytes += data.length;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.fs.closeSync(fd);
  }

  private open(): number {
    this.fd ??= this.fs.openSync(this.path, 'a');
    return this.fd;
  }

  private truncate(length: number): void {
    this.fs.ftruncateSync(this.open(), length);
    this.bytes = length;
  }

  private rotate(): void {
    this.close();
    const { fs, path, keep } = this;
    fs.rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (fs.existsSync(`${path}.${i}`)) fs.renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    fs.renameSync(path, `${path}.1`);
    this.bytes = 0;
  }
}
