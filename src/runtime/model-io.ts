/** src/ml's predictor, model zip and ONNX functions, as the engine host and the CLI use them. */
import packageJson from '../../package.json' with { type: 'json' };
import { exportOnnx } from '../ml/onnx';
import { createPredictor } from '../ml/predict';
import { exportModelZip, importModelZip } from '../ml/zip';
import type { ModelIo } from './engine-host';

export const modelIo: ModelIo | undefined = {
  createPredictor: (artifact) => createPredictor(artifact),
  exportModelZip,
  importModelZip,
  // The same producer version as `pipeline-studio export-onnx`, so both write the same bytes.
  exportOnnx: (artifact) => exportOnnx(artifact, { producerVersion: packageJson.version }),
};
