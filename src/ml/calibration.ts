/**
 * Calibration of a classifier's probabilities (a reliability diagram): rows binned by the
 * predicted probability of the predicted class (its confidence); per bin, the mean confidence
 * against the share of rows predicted correctly. A calibrated model sits on the diagonal.
 * ECE (expected calibration error) is the row-weighted mean gap.
 */
export interface Calibration {
  bins: { confidence: number; accuracy: number; count: number }[];
  ece: number;
}

/** `probabilities` is rows × k; `truth` holds class indices. Empty bins are left out. */
export function calibrationCurve(probabilities: Float32Array, truth: ArrayLike<number>, k: number, binCount = 10): Calibration {
  const confidence = new Float64Array(binCount);
  const correct = new Float64Array(binCount);
  const count = new Float64Array(binCount);
  const n = truth.length;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probabilities[i * k + j] > probabilities[i * k + best]) best = j;
    const p = probabilities[i * k + best];
    const bin = Math.min(binCount - 1, Math.max(0, Math.floor(p * binCount)));
    confidence[bin] += p;
    correct[bin] += best === truth[i] ? 1 : 0;
    count[bin]++;
  }
  const bins: Calibration['bins'] = [];
  let ece = 0;
  for (let b = 0; b < binCount; b++) {
    if (count[b] === 0) continue;
    const meanConfidence = confidence[b] / count[b];
    const accuracy = correct[b] / count[b];
    bins.push({ confidence: meanConfidence, accuracy, count: count[b] });
    ece += (count[b] / n) * Math.abs(accuracy - meanConfidence);
  }
  return { bins, ece: n > 0 ? ece : NaN };
}
