/** Argument parsing shared by the cluster commands (run-node, compile, run-compiled, export-onnx). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../engine/errors';
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './io';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * Parses `argv` strictly, positionals allowed, -h/--help added. Returns the values and
 * positionals, or the exit code after printing the usage (for --help, or with the error for a bad flag).
 */
export function commandArgs<O extends ParseArgsOptionsConfig>(argv: string[], options: O, usage: string, io: CliIo): { values: Parsed<O>['values']; positionals: string[] } | number {
  let parsed: Parsed<O & { help: { type: 'boolean'; short: 'h' } }>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${usage}\n`);
    return EXIT_USAGE;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${usage}\n`);
    return EXIT_OK;
  }
  return { values: parsed.values as Parsed<O>['values'], positionals: parsed.positionals };
}

/** Runs a command's body; a UsageError it throws becomes `error: <message>` on stderr and exit 2. */
export async function withUsageErrors(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
