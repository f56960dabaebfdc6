/**
 * The automatic pipeline: from a column profile and a chosen target, a normal, editable graph
 * — data → roles → split → missing values → encode → scale → tune over model families →
 * evaluate and cross-validate (→ importance, → deploy). Every decision is made from the
 * profile, said in the node's label, and listed in `decisions`; the UI and the CLI share it.
 * Pure: no I/O, no React, no tfjs.
 */
import type { Graph, GraphEdge, GraphNode } from '../engine/graph';
import type { ColumnProfile, DataProfile } from './profile';

/** Category columns with at most this many values are one-hot encoded; more become ordinal codes. */
export const ONE_HOT_LIMIT = 10;
/** Whole-number targets with at most this many values are classes (training's task detection says the same). */
const MAX_CLASSES = 20;

/** Model families the tune node tries: no hidden layer (linear / logistic regression) and two MLP sizes, at two learning rates. */
export const AUTO_SEARCH_SPACE = { layers: [[], [32], [64, 32]], learningRate: [0.003, 0.01] };

export interface AutoOptions {
  profile: DataProfile;
  target: string;
  /** The user says rows are ordered in time: the latest rows become the test part (ordered by the first complete date column, else by row order). */
  timeOrdered?: boolean;
  /** The data node that reads the file (type, params, label). */
  source: { type: string; params: Record<string, unknown>; label?: string };
  /** Add a permutation-importance node (when that node type exists). */
  importance?: boolean;
  /** Add a deploy node serving the tuned model under this endpoint name. */
  deploy?: string;
  seed?: number;
  graphId?: string;
}

export interface AutoPipeline {
  graph: Graph;
  task: 'classification' | 'regression';
  /** Every choice, in words, in pipeline order. */
  decisions: string[];
}

export class AutoPipelineError extends Error {
  override name = 'AutoPipelineError';
}

/** The same rule training applies (ml/data detectTask): categories, booleans and ≤ 20 whole numbers are classes. */
export function inferTask(column: ColumnProfile): 'classification' | 'regression' {
  if (column.dtype === 'category' || column.dtype === 'boolean' || column.dtype === 'text') return 'classification';
  if (column.dtype === 'number' && column.whole && column.distinct <= MAX_CLASSES) return 'classification';
  return 'regression';
}

const list = (names: string[], max = 4) => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

export function buildAutoPipeline(options: AutoOptions): AutoPipeline {
  const { profile } = options;
  const target = profile.columns.find((c) => c.name === options.target);
  if (!target) throw new AutoPipelineError(`"${options.target}" is not a column of ${profile.name} (columns: ${list(profile.columns.map((c) => c.name), 12)})`);
  if (target.missing === profile.rows) throw new AutoPipelineError(`Target "${target.name}" has no values.`);
  if (target.dtype === 'text') throw new AutoPipelineError(`Target "${target.name}" is free text (${target.distinct}+ distinct values), not classes: choose another target.`);
  if (target.dtype === 'datetime') throw new AutoPipelineError(`Target "${target.name}" is a date: choose a number or category to predict.`);
  const task = inferTask(target);
  if (task === 'classification' && target.distinct < 2) throw new AutoPipelineError(`Target "${target.name}" has only one value: there is nothing to predict.`);

  const decisions: string[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  let x = 0;
  const add = (id: string, type: string, params: Record<string, unknown>, label: string, position?: { x: number; y: number }): string => {
    nodes.push({ id, type, params, label, position: position ?? { x: (x += 280) - 280, y: 0 } });
    return id;
  };
  const wire = (from: string, fromPort: string, to: string, toPort: string) => edges.push({ id: `${from}.${fromPort}->${to}.${toPort}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  let last: { node: string; port: string };
  const chain = (id: string, type: string, params: Record<string, unknown>, label: string, inPort = 'data') => {
    add(id, type, params, label);
    wire(last.node, last.port, id, inPort);
    last = { node: id, port: 'data' };
  };

  add('data', options.source.type, options.source.params, options.source.label ?? profile.name);
  last = { node: 'data', port: 'table' };

  // Features: every other column, except free text (no encoding fits it) and empty columns.
  const others = profile.columns.filter((c) => c.name !== target.name);
  const text = others.filter((c) => c.dtype === 'text');
  const empty = others.filter((c) => c.missing === profile.rows && c.dtype !== 'text');
  const features = others.filter((c) => !text.includes(c) && !empty.includes(c));
  if (features.length === 0) throw new AutoPipelineError(`No usable feature columns besides "${target.name}"${text.length ? ` (free text left out: ${list(text.map((c) => c.name))})` : ''}.`);
  const left = [...text, ...empty];
  decisions.push(`Task: ${task} — target "${target.name}" is ${task === 'classification' ? `${target.dtype === 'number' ? 'whole numbers with' : ''} ${plural(target.distinct, 'class')}`.trim() : 'a continuous number'}.`);
  if (left.length > 0) decisions.push(`Left out: ${text.length ? `${list(text.map((c) => c.name))} (free text)` : ''}${text.length && empty.length ? '; ' : ''}${empty.length ? `${list(empty.map((c) => c.name))} (no values)` : ''}.`);
  chain('roles', 'prep.roles', { target: target.name, features: left.length ? features.map((c) => c.name) : [], ...(target.missing > 0 ? { missingTarget: 'drop rows' } : {}) }, `Target: ${target.name} (${task})`, 'table');
  if (target.missing > 0) decisions.push(`Rows without a target: ${target.missing} dropped.`);

  // Split: time-ordered when the rows are ordered in time (by a date column when there is one); else random, stratified for classes.
  // A date column alone does not say so (cars' model year is a date; its rows are not a time series).
  const timeOrdered = options.timeOrdered ?? false;
  const dates = features.filter((c) => c.dtype === 'datetime' && c.missing === 0);
  const timeColumn = timeOrdered && dates.length > 0 ? dates[0].name : '';
  const fractions = { train: 0.7, validation: 0.15, test: 0.15 };
  if (timeOrdered) {
    chain('split', 'prep.split', { mode: 'time', column: timeColumn, ...fractions, stratify: false }, `Split: time-ordered${timeColumn ? ` by ${timeColumn}` : ''}`);
    decisions.push(`Split: time-ordered ${timeColumn ? `by "${timeColumn}"` : 'by row order'} — the latest 15% of rows are the test part, the 15% before them validate (no future rows leak into training).`);
  } else {
    chain('split', 'prep.split', { mode: 'random', ...fractions, stratify: task === 'classification' }, `Split 70/15/15${task === 'classification' ? ', stratified' : ''}`);
    decisions.push(`Split: random 70/15/15${task === 'classification' ? ', stratified so every part keeps the class proportions' : ''}.`);
  }

  // Missing values: numbers get the median, categories and yes/no columns the most frequent value.
  const gappy = features.filter((c) => c.missing > 0);
  const numericGaps = gappy.filter((c) => c.dtype === 'number' || c.dtype === 'datetime');
  const categoricalGaps = gappy.filter((c) => c.dtype === 'category' || c.dtype === 'boolean');
  if (numericGaps.length > 0) {
    chain('impute-numbers', 'prep.missing', { strategy: 'median', columns: numericGaps.map((c) => c.name) }, `Impute median: ${plural(numericGaps.length, 'column')} had gaps`);
    decisions.push(`Missing values: ${plural(numericGaps.length, 'numeric column')} had gaps (${list(numericGaps.map((c) => `${c.name} ${c.missing}`))}) — filled with the median of the train rows.`);
  }
  if (categoricalGaps.length > 0) {
    chain('impute-categories', 'prep.missing', { strategy: 'most frequent', columns: categoricalGaps.map((c) => c.name) }, `Impute most frequent: ${plural(categoricalGaps.length, 'column')}`);
    decisions.push(`Missing values: ${plural(categoricalGaps.length, 'categorical column')} had gaps (${list(categoricalGaps.map((c) => `${c.name} ${c.missing}`))}) — filled with the most frequent value of the train rows.`);
  }
  if (gappy.length === 0) decisions.push('Missing values: none in the features, so no imputation step.');

  // Encoding: few categories one-hot, many categories ordinal codes.
  const categorical = features.filter((c) => c.dtype === 'category');
  const oneHot = categorical.filter((c) => c.distinct <= ONE_HOT_LIMIT);
  const ordinal = categorical.filter((c) => c.distinct > ONE_HOT_LIMIT);
  if (oneHot.length > 0) {
    chain('onehot', 'prep.encode', { method: 'onehot', columns: oneHot.map((c) => c.name) }, `One-hot: ${list(oneHot.map((c) => c.name), 3)}`);
    decisions.push(`Encode: one-hot for ${list(oneHot.map((c) => `${c.name} (${c.distinct})`))} — at most ${ONE_HOT_LIMIT} values each.`);
  }
  if (ordinal.length > 0) {
    chain('ordinal', 'prep.encode', { method: 'ordinal', columns: ordinal.map((c) => c.name) }, `Ordinal: ${list(ordinal.map((c) => c.name), 3)}`);
    decisions.push(`Encode: ordinal codes for ${list(ordinal.map((c) => `${c.name} (${c.distinct >= 1000 ? '1000+' : c.distinct})`))} — more than ${ONE_HOT_LIMIT} values, one-hot would add too many columns.`);
  }
  if (categorical.length === 0) decisions.push('Encode: no categorical features, so no encoding step.');

  chain('scale', 'prep.scale', { method: 'standard' }, 'Scale: standard');
  decisions.push('Scale: every numeric feature to mean 0, sd 1 (learned on the train rows).');
  const prepared = last;

  // Model: tune over families (no hidden layer = linear / logistic regression; two MLP sizes) and learning rates.
  const tuneX = x;
  add('spec', 'model.mlp', { layers: [64, 32] }, 'Model families', { x: tuneX - 280, y: 200 });
  add('tune', 'tune.search', { searchSpace: AUTO_SEARCH_SPACE, metric: 'val_loss', task, score: 'cv', folds: 5 }, `Tune: ${task === 'classification' ? 'logistic' : 'linear'} + 2 MLPs, ranked by 5-fold CV`);
  wire(prepared.node, prepared.port, 'tune', 'data');
  wire('spec', 'spec', 'tune', 'spec');
  decisions.push(
    `Model: tune tries ${task === 'classification' ? 'logistic regression' : 'linear regression'} (no hidden layer) and MLPs of 32 and 64→32 units, each at learning rates 0.003 and 0.01 — 6 candidates; successive halving on the validation loss keeps two, which are ranked by 5-fold cross-validation on the non-test rows (every fitted step refitted per fold); the best is kept.`,
  );
  const endX = x;
  add('evaluate', 'evaluate.metrics', { partition: 'test' }, 'Evaluate on test', { x: endX, y: 0 });
  wire('tune', 'model', 'evaluate', 'model');
  wire(prepared.node, prepared.port, 'evaluate', 'data');
  add('cv', 'evaluate.cv', { folds: 5 }, '5-fold CV of the best', { x: endX, y: 200 });
  wire('tune', 'model', 'cv', 'model');
  wire(prepared.node, prepared.port, 'cv', 'data');
  decisions.push('Evaluate: on the untouched test rows, and 5-fold cross-validation of the chosen recipe on the other rows (every fitted step refitted per fold).');
  if (options.importance) {
    add('importance', 'evaluate.importance', {}, 'Feature importance', { x: endX, y: 400 });
    wire('tune', 'model', 'importance', 'model');
    wire(prepared.node, prepared.port, 'importance', 'data');
    decisions.push('Importance: permutation importance of each feature for the tuned model.');
  }
  if (options.deploy) {
    add('deploy', 'deploy.endpoint', { name: options.deploy }, `Deploy: ${options.deploy}`, { x: endX + 280, y: 0 });
    wire('tune', 'model', 'deploy', 'model');
    decisions.push(`Deploy: the tuned model as endpoint "${options.deploy}".`);
  }

  const base = profile.name.replace(/\.[a-z0-9]+$/i, '');
  return {
    graph: { id: options.graphId ?? `auto-${base.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name: `${base}: predict ${target.name} (auto)`, seed: options.seed ?? 42, nodes, edges },
    task,
    decisions,
  };
}
