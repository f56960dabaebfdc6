/**
 * Figure 12: training on large tables (bench/large-training.ts, one child process per run):
 * batches built on demand from the columns vs the whole partition as one tensor, at 10k /
 * 100k / 1M rows × 20 features, MLP 64→64, 1 epoch, batch 1024, wasm.
 */
import { estimateTrainingDataBytes, TENSOR_PATH_MAX_BYTES } from '../../src/ml/train';
import { FEATURES, runLargeTraining, type LargeTrainingResult } from '../large-training';
import type { Figure } from '../lib/report';
import { ms, ratio, round } from '../lib/stats';

export async function largeTrainingFigure(figure: Figure, sizes: number[]): Promise<void> {
  const runs: LargeTrainingResult[] = [];
  for (const rows of sizes) {
    const auto = estimateTrainingDataBytes('tensors', rows, FEATURES, 1, false, 1024) / 2 > TENSOR_PATH_MAX_BYTES ? 'columns' : 'tensors';
    const [tensors, columns] = (['tensors', 'columns'] as const).map((storage) => {
      process.stderr.write(`[bench] large training: ${rows.toLocaleString('en')} rows, ${storage}…\n`);
      const run = runLargeTraining(rows, storage);
      runs.push(run);
      return run;
    });
    const label = `${rows.toLocaleString('en')} rows × ${FEATURES}`;
    const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
    figure.rows.push({
      measure: `${label}: 1 epoch (data preparation included), batches from columns vs one tensor`,
      product: ms(columns.totalMs),
      baseline: `${ms(tensors.totalMs)} (one tensor)`,
      ratio: ratio(columns.totalMs / tensors.totalMs),
      note: `the Train node uses ${auto === 'columns' ? 'columns' : 'one tensor'} here; first epoch ends ${ms(columns.firstEpochMs)} vs ${ms(tensors.firstEpochMs)} after the start; prepare ${ms(columns.prepareMs)} vs ${ms(tensors.prepareMs)}; loss ${round(columns.loss, 4)} vs ${round(tensors.loss, 4)}`,
      numbers: { value: columns.totalMs, unit: 'ms', baseline: 'one tensor', baselineValue: tensors.totalMs, ratio: round(columns.totalMs / tensors.totalMs, 3) },
    });
    figure.rows.push({
      measure: `${label}: peak tensor memory (tf.memory), batches from columns vs one tensor`,
      product: `${mb(columns.peakTensorBytes)} MB`,
      baseline: `${mb(tensors.peakTensorBytes)} MB (one tensor)`,
      ratio: ratio(columns.peakTensorBytes / tensors.peakTensorBytes),
      note: `process peak RSS above the table (${columns.tableMB} MB of float64 columns): ${columns.peakRssAboveTableMB} MB vs ${tensors.peakRssAboveTableMB} MB`,
      numbers: { value: mb(columns.peakTensorBytes), unit: 'MB', baseline: 'one tensor', baselineValue: mb(tensors.peakTensorBytes), ratio: round(columns.peakTensorBytes / tensors.peakTensorBytes, 3) },
    });
  }
  figure.data = { runs };
}
