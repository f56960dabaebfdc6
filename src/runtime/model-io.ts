/**
 * Wiring of src/ml's predictor and model zip functions into the engine host.
 * Until those land the engine reports model export/import/predict as unavailable.
 */
import type { ModelIo } from './engine-host';

export const modelIo: ModelIo | undefined = undefined;
