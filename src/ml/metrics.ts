/**
 * Evaluation maths as pure functions over plain arrays (no tfjs), so they are unit-tested
 * against hand-computed values and reused by evaluate, tune and monitoring.
 */
import type { Metrics } from '../data/types';

export interface RocCurve {
  auc: number;
  /** [falsePositiveRate, truePositiveRate] from (0,0) to (1,1). */
  points: [number, number][];
}

/**
 * ROC curve and its area for one positive class. Tied scores move the curve diagonally,
 * which makes the area equal to the Mann–Whitney probability (ties count one half).
 * Returns NaN area when only one class is present.
 */
export function rocCurve(scores: ArrayLike<number>, isPositive: ArrayLike<boolean>): RocCurve {
  const n = scores.length;
  if (isPositive.length !== n) throw new Error(`rocCurve: ${n} scores but ${isPositive.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) if (isPositive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return { auc: NaN, points: [] };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  let i = 0;
  while (i < n) {
    const score = scores[order[i]];
    let tiedTp = 0;
    let tiedFp = 0;
    while (i < n && scores[order[i]] === score) {
      if (isPositive[order[i]]) tiedTp++;
      else tiedFp++;
      i++;
    }
    const prevTpr = tp / positives;
    const prevFpr = fp / negatives;
    tp += tiedTp;
    fp += tiedFp;
    const tpr = tp / positives;
    const fpr = fp / negatives;
    auc += (fpr - prevFpr) * (tpr + prevTpr) / 2;
    points.push([fpr, tpr]);
  }
  return { auc, points };
}

/** Keeps at most `max` points of a curve, always including both ends. */
export function thinCurve(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max) return points;
  const out: [number, number][] = [];
  const step = (points.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(points[Math.round(k * step)]);
  return out;
}

export interface ClassificationInput {
  /** True class index per row (into `classes`). */
  truth: ArrayLike<number>;
  /** Row-major probabilities, rows × classes. */
  probabilities: ArrayLike<number>;
  classes: string[];
  /** Original row numbers, for the predictions table. */
  rowIds?: ArrayLike<number>;
  partition: Metrics['partition'];
  /** Cap on the predictions table. */
  maxPredictions?: number;
  /** Cap on points per ROC curve. */
  maxRocPoints?: number;
}

export function argmaxRow(probabilities: ArrayLike<number>, row: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[row * k + c] > probabilities[row * k + best]) best = c;
  return best;
}

/** Accuracy, per-class and macro precision/recall/F1, confusion matrix, ROC/AUC (binary and one-vs-rest). */
export function classificationMetrics(input: ClassificationInput): Metrics {
  const { truth, probabilities, classes } = input;
  const k = classes.length;
  const n = truth.length;
  if (k < 2) throw new Error('classification metrics need at least two classes');
  if (probabilities.length !== n * k) throw new Error(`expected ${n}×${k} probabilities, got ${probabilities.length}`);
  if (n === 0) throw new Error('no rows to evaluate');

  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const predicted = new Int32Array(n);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i];
    if (!Number.isInteger(t) || t < 0 || t >= k) throw new Error(`row ${i}: class index ${t} is outside 0..${k - 1}`);
    const pred = argmaxRow(probabilities, i, k);
    predicted[i] = pred;
    matrix[t][pred]++;
    if (pred === t) correct++;
  }

  const perClass = classes.map((label, c) => {
    const truePos = matrix[c][c];
    let predictedPos = 0;
    let support = 0;
    for (let r = 0; r < k; r++) {
      predictedPos += matrix[r][c];
      support += matrix[c][r];
    }
    const precision = predictedPos === 0 ? 0 : truePos / predictedPos;
    const recall = support === 0 ? 0 : truePos / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });

  const maxRocPoints = input.maxRocPoints ?? 200;
  const roc: NonNullable<Metrics['roc']> = [];
  // Binary: one curve for the second class (the "positive" one). Multiclass: one-vs-rest per class.
  const rocClasses = k === 2 ? [1] : classes.map((_, c) => c);
  for (const c of rocClasses) {
    const scores = new Float64Array(n);
    const positive = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      scores[i] = probabilities[i * k + c];
      positive[i] = truth[i] === c;
    }
    const curve = rocCurve(scores, positive);
    if (!Number.isNaN(curve.auc)) roc.push({ label: classes[c], auc: curve.auc, points: thinCurve(curve.points, maxRocPoints) });
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const scalars: Record<string, number> = {
    accuracy: correct / n,
    macroPrecision: mean(perClass.map((c) => c.precision)),
    macroRecall: mean(perClass.map((c) => c.recall)),
    macroF1: mean(perClass.map((c) => c.f1)),
    rows: n,
  };
  if (roc.length > 0) scalars.auc = mean(roc.map((r) => r.auc));

  const maxPredictions = input.maxPredictions ?? 300;
  const predictions: NonNullable<Metrics['predictions']> = [];
  for (let i = 0; i < Math.min(n, maxPredictions); i++) {
    predictions.push({
      row: input.rowIds ? input.rowIds[i] : i,
      truth: classes[truth[i]],
      prediction: classes[predicted[i]],
      probability: probabilities[i * k + predicted[i]],
    });
  }

  return {
    task: 'classification',
    partition: input.partition,
    scalars,
    perClass,
    confusion: { labels: [...classes], matrix },
    roc,
    predictions,
  };
}

export interface RegressionInput {
  truth: ArrayLike<number>;
  predicted: ArrayLike<number>;
  rowIds?: ArrayLike<number>;
  partition: Metrics['partition'];
  maxResiduals?: number;
  maxPredictions?: number;
}

/** R², MAE, RMSE, residual sample and predictions table. R² is NaN when the truth is constant. */
export function regressionMetrics(input: RegressionInput): Metrics {
  const { truth, predicted } = input;
  const n = truth.length;
  if (predicted.length !== n) throw new Error(`${n} targets but ${predicted.length} predictions`);
  if (n === 0) throw new Error('no rows to evaluate');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += truth[i];
  const mean = sum / n;
  let absErr = 0;
  let sqErr = 0;
  let sqTotal = 0;
  for (let i = 0; i < n; i++) {
    const err = truth[i] - predicted[i];
    absErr += Math.abs(err);
    sqErr += err * err;
    sqTotal += (truth[i] - mean) ** 2;
  }
  const maxResiduals = input.maxResiduals ?? 300;
  // Evenly spaced sample so a capped scatter still spans the whole partition.
  const stride = Math.max(1, Math.ceil(n / maxResiduals));
  const residuals: NonNullable<Metrics['residuals']> = [];
  for (let i = 0; i < n; i += stride) residuals.push({ predicted: predicted[i], residual: truth[i] - predicted[i] });
  const predictions: NonNullable<Metrics['predictions']> = [];
  for (let i = 0; i < Math.min(n, input.maxPredictions ?? 300); i++) {
    predictions.push({ row: input.rowIds ? input.rowIds[i] : i, truth: truth[i], prediction: predicted[i] });
  }
  return {
    task: 'regression',
    partition: input.partition,
    scalars: {
      r2: sqTotal === 0 ? NaN : 1 - sqErr / sqTotal,
      mae: absErr / n,
      rmse: Math.sqrt(sqErr / n),
      rows: n,
    },
    residuals,
    predictions,
  };
}
