/** The `pipeline-studio` command: dispatches to its subcommands. */
import { type CliIo, EXIT_OK, EXIT_USAGE, runCommand } from './run';
import { serveMain } from './serve';

export const USAGE = `Usage: pipeline-studio <command> [options]

Commands:
  run <graph.json>     run a graph file headless (see: pipeline-studio run --help)
  serve <model.zip>    serve an exported model over HTTP (see: pipeline-studio serve --help)
  replay <url|zip>     send a data file's rows to an endpoint, optionally shifted (see: pipeline-studio replay --help)
  run-node <graph.json> --node <id>
                       run one node with inputs and outputs in files: a cluster task (see: pipeline-studio run-node --help)
  compile <graph.json> --to kfp|argo
                       compile a graph into a Kubeflow Pipelines spec or an Argo Workflow (see: pipeline-studio compile --help)
  run-compiled <pipeline.yaml>
                       run a compiled pipeline here, each task a run-node process (see: pipeline-studio run-compiled --help)
  export-onnx <model.zip> -o <model.onnx>
                       a dense model and its preprocessing as one ONNX graph (see: pipeline-studio export-onnx --help)
  runs <dir>           list or compare run records written by run --record (see: pipeline-studio runs --help)
  auto <data> --target <column>
                       build a pipeline for a data file, optionally run it (see: pipeline-studio auto --help)`;

/** The process's streams and directory, for commands that take a CliIo. */
function processIo(): CliIo {
  return { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), cwd: process.cwd() };
}

/** Runs a cancellable command with the process's io: the first Ctrl-C cancels it (exit code 1), a second one exits at once. */
async function cancellableOnInterrupt(command: (io: CliIo & { signal: AbortSignal }) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ncancelling… (press Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await command({ ...processIo(), signal: controller.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run') return cancellableOnInterrupt((io) => runCommand(rest, io));
  if (command === 'serve') return serveMain(rest);
  if (command === 'run-node') return (await import('./run-node')).runNodeCommand(rest, processIo());
  if (command === 'compile') return (await import('./compile')).compileCommand(rest, processIo());
  if (command === 'run-compiled') {
    const { runCompiledCommand } = await import('./run-compiled');
    return cancellableOnInterrupt((io) => runCompiledCommand(rest, io));
  }
  if (command === 'export-onnx') return (await import('./export-onnx')).exportOnnxCommand(rest, processIo());
  if (command === 'replay') return (await import('./replay')).replayMain(rest);
  if (command === 'auto') {
    const { autoCommand } = await import('./auto');
    return cancellableOnInterrupt((io) => autoCommand(rest, io));
  }
  if (command === 'runs') return (await import('./runs')).runsCommand(rest, processIo());
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  process.stderr.write(`Unknown command "${command}"\n\n${USAGE}\n`);
  return EXIT_USAGE;
}
