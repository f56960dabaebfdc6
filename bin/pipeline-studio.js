#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's ESM loader: no build step needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A bug, not bad input: one message and the stack (Node's own report would also print
  // the source line that threw, which in a bundled dependency is a whole minified file).
  process.stderr.write(`error: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
