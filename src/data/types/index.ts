/**
 * The data that flows on edges. Plain TypeScript (no tfjs, no DOM), columnar and
 * typed-array backed so tables move between threads by transfer, not clone.
 */

export type DType = 'number' | 'category' | 'boolean' | 'text' | 'datetime';

/** number / boolean (0|1) / datetime (epoch ms) columns: NaN marks a missing value. */
export interface NumericColumn {
  name: string;
  dtype: 'number' | 'boolean' | 'datetime';
  values: Float64Array;
}
/** Categories stored as codes into `categories`; -1 marks a missing value. */
export interface CategoryColumn {
  name: string;
  dtype: 'category';
  codes: Int32Array;
  categories: string[];
}
/** Free text; null marks a missing value. */
export interface TextColumn {
  name: string;
  dtype: 'text';
  values: (string | null)[];
}
export type Column = NumericColumn | CategoryColumn | TextColumn;

export interface Table {
  columns: Column[];
  rowCount: number;
  /** Where the rows came from (set by data nodes; carried into the dataset's source). */
  source?: DatasetSource;
  /** Non-fatal notes from ingest (renamed duplicate headers, stray text, re-decoded bytes). */
  warnings?: string[];
}

/** Row indices into the dataset's table, per partition. */
export interface Partitions {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/**
 * One fitted preprocessing step, JSON-serialisable. `kind` selects the pure function
 * that applies it (src/data/transforms); `state` is what was learned on training rows.
 */
export interface FittedTransform {
  kind: string;
  /** The node that fitted it, for lineage and messages. */
  nodeId?: string;
  /** 'train' when fitted on the training partition; 'all' when fitted before any split. */
  fittedOn: 'train' | 'all';
  state: Record<string, unknown>;
}

/** Schema of a raw input column, as the data arrived before any transform. */
export interface ColumnSchema {
  name: string;
  dtype: DType;
  /** Known categories (category columns). */
  categories?: string[];
}

export interface DatasetSource {
  /** Human name: file name, sample name, URL. */
  name: string;
  /** Content hash of the raw bytes (hex sha-256) or of the generated data. */
  hash: string;
  /** Stored dataset id, when the data came from the dataset store. */
  datasetId?: string;
}

export interface Dataset {
  table: Table;
  /** Column roles; features default to every non-target column. */
  roles: { features: string[]; target: string | null };
  /** null until a split node runs. */
  partitions: Partitions | null;
  /** Fitted steps so far, in order, applied to raw records at serving time. */
  transforms: FittedTransform[];
  /**
   * The table as it was before the first fitted step, row for row with `table`: what
   * cross-validation refits the chain on, fold by fold. Absent until a step is fitted (and
   * in datasets read back from files, which carry the transformed table only).
   */
  base?: Table;
  /** Schema of the raw columns before the first transform: what a deployed model asks for. */
  rawSchema: ColumnSchema[];
  source: DatasetSource;
  /** Optional image shape for pixel features (set by the reshape node), e.g. [8, 8, 1]. */
  featureShape?: number[];
}

export type TaskKind = 'classification' | 'regression';

/** Untrained architecture + hyperparameters (output of model-spec nodes). */
export interface ModelSpec {
  family: 'linear' | 'logistic' | 'mlp' | 'cnn';
  /** Architecture hyperparameters, e.g. { layers: [64, 32], activation: 'relu', dropout: 0.1, l2: 1e-4 }. */
  hyper: Record<string, unknown>;
  /** The spec node's id, so the tune node can vary its params. */
  nodeId?: string;
}

/** Metrics output. Small and JSON-serialisable: it crosses to the UI whole. */
export interface Metrics {
  task: TaskKind;
  partition: 'train' | 'validation' | 'test';
  /** Headline numbers: accuracy, macroF1, auc / r2, mae, rmse … */
  scalars: Record<string, number>;
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion?: { labels: string[]; matrix: number[][] };
  roc?: { label: string; auc: number; points: [number, number][] }[];
  residuals?: { predicted: number; residual: number }[];
  predictions?: { row: number; truth: string | number; prediction: string | number; probability?: number }[];
  /** Hyperparameter search results (tune node), best first. */
  trials?: TrialResult[];
  /** What a reader must know about these numbers, in words (e.g. rows a fitted step has already seen). */
  warnings?: string[];
  /** Reliability of a classifier's probabilities: per confidence bin, mean confidence vs share correct; ECE. */
  calibration?: { bins: { confidence: number; accuracy: number; count: number }[]; ece: number };
  /** Permutation feature importance: drop of `metric` (mean ± sd over `repeats` shuffles) per feature, largest first. */
  importance?: { metric: string; baseline: number; repeats: number; features: { name: string; mean: number; sd: number; columns: number }[] };
  /** Live traffic of a deployed endpoint (monitor node). */
  monitor?: MonitorSummary;
  /** Cross-validation: each scalar's mean and standard deviation across the folds. */
  cv?: {
    folds: number;
    repeats?: number;
    scalars: Record<string, { mean: number; sd: number }>;
    /** Each fold's own scalars (repeat and fold are 1-based). */
    perFold?: { repeat: number; fold: number; scalars: Record<string, number> }[];
    /** How the folds were scored, in words (e.g. fitted steps reused, so their statistics saw the held-out rows). */
    note?: string;
  };
}

export type HealthStatus = 'green' | 'amber' | 'red' | 'unknown';

/** What the monitor node reports about an endpoint's logged traffic. Plain JSON. */
export interface MonitorSummary {
  endpoint: string;
  liveVersion: number | null;
  /** Logged predictions looked at. */
  requests: number;
  /** Epoch ms of the first and last one. */
  from: number | null;
  to: number | null;
  latencyMs: { p50: number; p95: number; p99: number; mean: number } | null;
  /** Traffic per time window: volume, latency, drift status. */
  windows: { start: number; end: number; requests: number; p50: number; p95: number; status: HealthStatus }[];
  windowMs: number;
  /** Worst feature drift over the most recent traffic. */
  status: HealthStatus;
  /** Start of the current unbroken amber/red run of windows; null when not drifting. */
  driftingSince: number | null;
  features: { name: string; kind: 'numeric' | 'categorical'; count: number; psi: number | null; ksPValue: number | null; status: HealthStatus; driftingSince: number | null; unseen?: string[] }[];
  /** Served predictions vs the training target, as fractions (classification: per class; regression: per training bin). */
  predictions: { label: string; served: number; training: number | null }[];
  /** Why drift is unknown, when it is (no reference, too little traffic). */
  note?: string;
}

/** One hyperparameter-search trial: the values it tried and how far it got. */
export interface TrialResult {
  trial: number;
  params: Record<string, unknown>;
  /** The optimised metric on the validation rows (val_loss, or val_accuracy). */
  score: number;
  epochs: number;
  status: 'best' | 'done' | 'pruned' | 'failed' | 'skipped';
  message?: string;
  /** When the tune node ranks by cross-validation: the trial's k-fold mean ± sd of `metric` (accuracy or r2) on the non-test rows. */
  cv?: { metric: string; folds: number; mean: number; sd: number };
}

/** One epoch (or batch group) of training history. */
export interface HistoryPoint {
  epoch: number;
  [metric: string]: number;
}

/** How a deployed model's output maps back to the user's target. */
export interface TargetInfo {
  name: string;
  task: TaskKind;
  /** Class labels in output-unit order (classification). */
  classes?: string[];
}

/**
 * A trained model as pure data: tfjs layers-format artifacts plus everything needed to
 * predict from a raw record. This is what the model store keeps, the zip export holds,
 * and the CLI server loads.
 */
export interface ModelArtifact {
  name: string;
  /** tfjs `ModelArtifacts` fields (layers format). */
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  /** The fitted transform chain, applied to raw records before the network. */
  transforms: FittedTransform[];
  rawSchema: ColumnSchema[];
  /** Feature names after the chain, in network input order. */
  featureNames: string[];
  featureShape?: number[];
  target: TargetInfo;
  spec: ModelSpec;
  trainParams: Record<string, unknown>;
  history: HistoryPoint[];
  metrics?: Record<string, number>;
  /** Per-feature reference distribution of the training partition (for drift monitoring). */
  reference?: unknown;
  lineage: { graphId?: string; nodeId?: string; datasetHash?: string; createdAt: number; backend?: string };
}

/**
 * The value on a `model` edge inside a running worker: the artifact plus a live
 * network handle (a tf.LayersModel, typed `unknown` here to keep this layer tfjs-free).
 * `dispose` frees its tensors when the cache drops it.
 */
export interface TrainedModel {
  artifact: ModelArtifact;
  network: unknown;
  /** Registry id once saved to the model store. */
  registryId?: string;
  dispose(): void;
}

/** Reference to a deployed endpoint (output of the deploy node). */
export interface EndpointRef {
  name: string;
  version: number;
}
