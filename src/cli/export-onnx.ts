/**
 * `pipeline-studio export-onnx <model.zip> -o model.onnx`: a dense model and its fitted
 * preprocessing chain as one ONNX graph over the raw feature columns (src/ml/onnx.ts), for
 * ONNX Runtime, Triton and other serving stacks.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { exportOnnx, OnnxExportError } from '../ml/onnx';
import { importModelZip, ModelZipError } from '../ml/zip';
import { commandArgs, withUsageErrors } from './args';
import { describeFsError } from './files';
import { type CliIo, EXIT_OK, UsageError } from './run';
import packageJson from '../../package.json' with { type: 'json' };

export const EXPORT_ONNX_USAGE = `Usage: pipeline-studio export-onnx <model.zip> -o <model.onnx>

Writes a model zip (exported from the app, or by run --save-models) as one ONNX graph
that takes the raw feature columns: the fitted preprocessing chain (imputation,
scaling, one-hot/ordinal encoding, dropped columns) and the network (Dense layers).
Inputs: one [N,1] tensor per raw column, double (NaN = missing) or string ("" = missing).
Outputs: probabilities [N,K] and label [N] (classification), prediction [N,1] (regression).
Only dense models (linear, logistic, MLP) export; other layers are refused by name.

Options:
  -o, --output <file>      where to write the .onnx file (required)
  -h, --help               show this help

Exit codes: 0 ok, 2 bad arguments, an unreadable zip, or a model that does not map to ONNX.`;

export async function exportOnnxCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = commandArgs(argv, { output: { type: 'string', short: 'o' } }, EXPORT_ONNX_USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  return withUsageErrors(io, async () => {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the model zip to export' : `Expected one model zip, got ${positionals.length}`);
    if (!values.output) throw new UsageError('Missing -o <model.onnx>: where to write the ONNX file');
    const path = positionals[0];
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(resolve(io.cwd, path)));
    } catch (error) {
      throw new UsageError(`Cannot read ${path}: ${describeFsError(error)}`);
    }
    let onnx: Uint8Array;
    try {
      const artifact = importModelZip(bytes);
      onnx = exportOnnx(artifact, { producerVersion: packageJson.version });
      const file = resolve(io.cwd, values.output);
      await writeFile(file, onnx);
      const inputs = artifact.rawSchema.map((s) => `${s.name} (${s.dtype === 'category' || s.dtype === 'text' ? 'string' : 'double'})`).join(', ');
      const outputs = artifact.target.task === 'classification' ? `probabilities [N,${artifact.target.classes?.length ?? '?'}], label [N]` : 'prediction [N,1]';
      io.stderr(`wrote ${basename(file)} (${onnx.byteLength} bytes): inputs ${inputs}; outputs ${outputs}\n`);
    } catch (error) {
      if (error instanceof ModelZipError) throw new UsageError(`${path} is not a model zip: ${error.message}`);
      if (error instanceof OnnxExportError) throw new UsageError(`cannot export ${path} to ONNX: ${error.message}`);
      throw error;
    }
    return EXIT_OK;
  });
}
