/**
 * `pipeline-studio auto <data> --target <col>`: builds the automatic pipeline for a data file
 * (src/auto, the same builder as the app's "New from data") and writes the graph file; with
 * --run it then runs that file through `run` itself, so progress, summary and --json are run's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoPipelineError, buildAutoPipeline } from '../auto/build';
import { profileTable } from '../auto/profile';
import { parseData } from '../data/parse';
import { serializeGraph } from '../engine/graph-file';
import { validateGraph } from '../engine/validate';
import { createRegistry } from '../nodes';
import { createFileReader, describeFsError } from './files';
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError, formatProblem, runCommand } from './run';
import { errorMessage } from '../engine/errors';

export const AUTO_USAGE = `Usage: pipeline-studio auto <data file> --target <column> [options]

Builds a pipeline for the data: roles, split (stratified for classes, time-ordered
with --time), missing values and encoding only where the data needs them, scaling,
a tune node over model families (linear/logistic and two MLP sizes), evaluation on
the test rows and 5-fold cross-validation. Every decision is printed on stderr and
written as the node's label.

Options:
  --target <column>        the column to predict (required)
  -o, --output <file>      write the graph file here (default: print it on stdout)
  --time                   rows are ordered in time: the latest rows are the test part
  --deploy <name>          add a deploy node serving the tuned model as endpoint <name>
  --run                    run the graph after building it; these options go to run:
    --json, --backend <name>, --save-models <dir>, --record <dir>
  --quiet                  no decisions (and, with --run, no progress) on stderr
  -h, --help               show this help

Exit codes: 0 ok, 1 the run failed, 2 bad arguments or input.`;

export async function autoCommand(argv: string[], io: CliIo): Promise<number> {
  let values: { target?: string; output?: string; time?: boolean; deploy?: string; run?: boolean; json?: boolean; backend?: string; 'save-models'?: string; record?: string; quiet?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string' },
        output: { type: 'string', short: 'o' },
        time: { type: 'boolean' },
        deploy: { type: 'string' },
        run: { type: 'boolean' },
        json: { type: 'boolean' },
        backend: { type: 'string' },
        'save-models': { type: 'string' },
        record: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${AUTO_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(`${AUTO_USAGE}\n`);
    return EXIT_OK;
  }
  const registry = createRegistry();
  let text: string;
  try {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the data file' : `Expected one data file, got ${positionals.length}: ${positionals.join(' ')}`);
    if (!values.target) throw new UsageError('--target <column>: say which column to predict');
    const runOnly = (['json', 'backend', 'save-models', 'record'] as const).filter((k) => values[k] !== undefined);
    if (!values.run && runOnly.length > 0) throw new UsageError(`--${runOnly[0]} is an option of --run`);
    const path = positionals[0];
    let bytes: Uint8Array;
    try {
      bytes = await createFileReader(io.cwd)(path, io.signal);
    } catch (error) {
      throw new UsageError(errorMessage(error));
    }
    const name = basename(path);
    let table;
    try {
      ({ table } = await parseData(bytes, 'auto', name, { signal: io.signal }));
    } catch (error) {
      throw new UsageError(`Cannot read ${path} as data: ${errorMessage(error)}`);
    }
    const auto = buildAutoPipeline({
      profile: profileTable(table, name),
      target: values.target,
      timeOrdered: values.time ?? false,
      source: { type: 'data.file', params: { path }, label: name },
      importance: registry.get('evaluate.importance') !== undefined,
      deploy: values.deploy,
    });
    const problems = validateGraph(auto.graph, registry).filter((p) => p.level === 'error');
    if (problems.length > 0) throw new UsageError(`The built graph has problems:\n${problems.map((p) => `  - ${formatProblem(p, auto.graph)}`).join('\n')}`);
    if (!values.quiet) for (const decision of auto.decisions) io.stderr(`auto: ${decision}\n`);
    text = serializeGraph(auto.graph, registry);
  } catch (error) {
    if (error instanceof UsageError || error instanceof AutoPipelineError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  let file: string | null = null;
  if (values.output !== undefined) {
    file = resolve(io.cwd, values.output);
    try {
      await writeFile(file, text);
    } catch (error) {
      io.stderr(`error: cannot write ${values.output}: ${describeFsError(error)}\n`);
      return EXIT_USAGE;
    }
    if (!values.quiet) io.stderr(`wrote ${values.output}\n`);
  } else if (!values.run) {
    io.stdout(text);
    return EXIT_OK;
  }
  if (!values.run) return EXIT_OK;

  // Run the graph file exactly as `pipeline-studio run <file>` would.
  const passOn = [
    ...(values.json ? ['--json'] : []),
    ...(values.quiet ? ['--quiet'] : []),
    ...(values.backend !== undefined ? ['--backend', values.backend] : []),
    ...(values['save-models'] !== undefined ? ['--save-models', values['save-models']] : []),
    ...(values.record !== undefined ? ['--record', values.record] : []),
  ];
  if (file) return runCommand([file, ...passOn], io);
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-studio-auto-'));
  try {
    const temp = join(dir, 'auto.json');
    await writeFile(temp, text);
    return await runCommand([temp, ...passOn], io);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
