/** Messages between the bench page and its worker (structured-cloneable). */
import type { BackendInfo, BackendPreference } from '../../src/runtime/protocol';
import type { TrainingComparison } from '../lib/training';

export type BenchRequest =
  | {
      kind: 'train';
      preference: BackendPreference;
      epochs: number;
      /** Also time the hand-written tfjs loop (training overhead figure). */
      withBaseline: boolean;
    }
  | { kind: 'ingest'; rows: number };

export interface TrainResult {
  kind: 'train';
  backend: BackendInfo;
  /** Backend detection, probe (auto) and activation. */
  initMs: number;
  /** Set when a forced backend was not available (the engine fell back to another). */
  unavailable?: string;
  pipelineTrainNodeMs?: number;
  pipelineRunMs?: number;
  pipelineAccuracy?: number;
  comparison?: TrainingComparison;
  epochs: number;
}

export interface IngestResult {
  kind: 'ingest';
  rows: number;
  megabytes: number;
  papaparseMs: number;
  parseMs: number;
  storeMs: number;
  storedRows: number;
}

export type BenchResult = TrainResult | IngestResult | { kind: 'error'; message: string };
