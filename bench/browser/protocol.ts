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
  /**
   * One side of the ingest figure on the page's generated CSV file (a Blob, made once per
   * page): 'papaparse' reads its text and parses it with PapaParse alone; 'ours' runs the
   * data.file node's load (streamed parse + hash, then the IndexedDB store).
   */
  | { kind: 'ingest'; rows: number; mode: 'papaparse' | 'ours' };

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
  mode: 'papaparse' | 'ours';
  rows: number;
  megabytes: number;
  /** File → rows (papaparse) or file → stored typed table (ours), all of it. */
  totalMs: number;
  /** ours: streamed parse with the hash computed on the same chunks. */
  parseMs?: number;
  /** ours: the IndexedDB write (Dexie). */
  storeMs?: number;
  storedRows: number;
}

export type BenchResult = TrainResult | IngestResult | { kind: 'error'; message: string };
