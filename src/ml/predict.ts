/**
 * The one predictor: raw records → the model's fitted transform chain (src/data's
 * applyToRecord) → network → label and probabilities. The browser Predict view, the
 * in-browser endpoint and the CLI server all call this.
 */
import type * as TF from '@tensorflow/tfjs';
import { applyToRecord } from '../data/transforms';
import type { ModelArtifact } from '../data/types';
import { tf } from './tf';
import type { ModelTarget } from './data';
import { argmaxRow } from './metrics';
import { networkOutputs, unscaleRegression } from './infer';

export interface Prediction {
  prediction: string | number;
  /** Class probabilities (classification), label → p. */
  probabilities?: Record<string, number>;
  /** This record's share of the batch's time. */
  latencyMs: number;
  /** Non-fatal notes, e.g. an unseen category. */
  warnings?: string[];
}

export interface ArtifactPredictor {
  readonly artifact: ModelArtifact;
  /** Throws src/data's RecordError when a record does not fit the raw schema. */
  predict(records: Record<string, unknown>[]): Prediction[];
  dispose(): void;
}

/** Rebuilds the live network from an artifact's tfjs layers topology and weights. */
export async function loadNetwork(artifact: ModelArtifact): Promise<TF.LayersModel> {
  const t = tf();
  return t.loadLayersModel(
    t.io.fromMemory({
      modelTopology: artifact.modelTopology as TF.io.ModelJSON['modelTopology'],
      weightSpecs: artifact.weightSpecs as TF.io.WeightsManifestEntry[],
      weightData: artifact.weightData,
    }),
  );
}

/**
 * A predictor for a stored artifact. Pass `network` to reuse a live one (a just-trained
 * model): the predictor then does not own it and `dispose` leaves it alone.
 */
export async function createPredictor(artifact: ModelArtifact, network?: TF.LayersModel): Promise<ArtifactPredictor> {
  const owned = !network;
  const net = network ?? (await loadNetwork(artifact));
  const target = artifact.target as ModelTarget;
  const cols = artifact.featureNames.length;
  const inputUnits = net.inputs[0].shape[1];
  if (inputUnits !== cols) {
    if (owned) net.dispose();
    throw new Error(`the network takes ${inputUnits} inputs but the pipeline produces ${cols} features`);
  }
  let disposed = false;

  return {
    artifact,
    predict(records) {
      if (disposed) throw new Error('this predictor has been disposed');
      if (!Array.isArray(records) || records.length === 0) return [];
      const started = performance.now();
      const values = new Float32Array(records.length * cols);
      const notes: string[][] = [];
      records.forEach((record, i) => {
        const { features, warnings } = applyToRecord(artifact.transforms, artifact.rawSchema, record, artifact.featureNames);
        const missing = artifact.featureNames.filter((_, j) => Number.isNaN(features[j]));
        if (missing.length > 0) {
          throw new Error(`record ${i + 1}: no value for ${missing.join(', ')} after preprocessing (the pipeline has no imputer for ${missing.length > 1 ? 'them' : 'it'})`);
        }
        values.set(features, i * cols);
        notes.push(warnings.filter((w) => !w.startsWith('Missing after preprocessing')));
      });
      const outputs = networkOutputs(net, values, records.length, cols);
      const latencyMs = (performance.now() - started) / records.length;
      const withNotes = (i: number) => (notes[i].length > 0 ? { warnings: notes[i] } : {});
      if (target.task === 'regression') {
        const predicted = unscaleRegression(outputs, target);
        return records.map((_, i) => ({ prediction: predicted[i], latencyMs, ...withNotes(i) }));
      }
      const classes = target.classes ?? [];
      const k = classes.length;
      return records.map((_, i) => {
        const probabilities: Record<string, number> = {};
        classes.forEach((label, c) => (probabilities[label] = outputs[i * k + c]));
        return { prediction: classes[argmaxRow(outputs, i, k)], probabilities, latencyMs, ...withNotes(i) };
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (owned) net.dispose();
    },
  };
}
