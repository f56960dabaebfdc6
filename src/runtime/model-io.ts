/** src/ml's predictor and model zip functions, as the engine host and the CLI use them. */
import { createPredictor } from '../ml/predict';
import { exportModelZip, importModelZip } from '../ml/zip';
import type { ModelIo } from './engine-host';

export const modelIo: ModelIo | undefined = { createPredictor: (artifact) => createPredictor(artifact), exportModelZip, importModelZip };
