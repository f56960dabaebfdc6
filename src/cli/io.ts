/** What every CLI command is handed and returns: its streams and working directory, and exit codes. */

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Bad arguments or input: printed as `error: <message>`, exit 2. */
export class UsageError extends Error {}
