/**
 * A stored model artifact as the serving handler needs it (src/ml's predictor behind
 * `ServingModel`). Shared by the CLI server and the browser's service-worker endpoint.
 */
import stableStringify from 'safe-stable-stringify';
import { contentHash } from '../data/hash';
import { chainFills } from '../data/transforms';
import type { ModelArtifact } from '../data/types';
import { createPredictor } from '../ml/predict';
import type { PredictionResult, ServingModel } from './handler';
import { inputSchema } from './validate';

/** The predictor contract of src/ml (as the worker's engine host uses it). */
export interface ArtifactPredictor {
  predict(records: Record<string, unknown>[]): unknown;
  dispose(): void;
}

/** A short, stable id for exactly these weights and this chain: the first 12 hex of their sha-256. */
export function modelVersion(artifact: ModelArtifact): string {
  const described = new TextEncoder().encode(stableStringify({ topology: artifact.modelTopology, transforms: artifact.transforms, target: artifact.target }) ?? '');
  const bytes = new Uint8Array(described.length + artifact.weightData.byteLength);
  bytes.set(described, 0);
  bytes.set(new Uint8Array(artifact.weightData), described.length);
  return contentHash(bytes).slice(0, 12);
}

/** Adapts an artifact and its predictor to what the serving handler needs. */
export function servingModelFromArtifact(artifact: ModelArtifact, predictor: ArtifactPredictor, backend: string): ServingModel {
  return {
    name: artifact.name,
    version: modelVersion(artifact),
    backend,
    rawSchema: artifact.rawSchema,
    target: artifact.target,
    reference: artifact.reference,
    optionalFields: chainFills(artifact.transforms),
    async predict(records) {
      const results = (await predictor.predict(records)) as PredictionResult[];
      if (!Array.isArray(results)) throw new Error('the predictor returned no results');
      return results.map((r) => {
        if (r === null || typeof r !== 'object' || r.prediction === undefined) throw new Error('the predictor returned a result without a prediction');
        return { prediction: r.prediction, ...(r.probabilities ? { probabilities: r.probabilities } : {}), ...(r.warnings?.length ? { warnings: r.warnings } : {}) };
      });
    },
  };
}

/** src/ml's predictor for requests: they never carry the target, so it is left out of the schema records are checked against. */
export function createServingPredictor(artifact: ModelArtifact): Promise<ArtifactPredictor> {
  return createPredictor({ ...artifact, rawSchema: inputSchema(artifact.rawSchema, artifact.target.name) });
}
