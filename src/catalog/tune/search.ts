import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { OPTIMIZERS } from '../model/vocabulary';

export const tuneSearchSpec = defineSpec({
  type: 'tune.search',
  version: 1,
  title: 'Tune hyperparameters',
  stage: 'tune',
  description:
    'Grid or random search over training settings and spec hyperparameters, scored on the validation rows; successive halving drops the weaker two thirds at each rung. With score "cv", the trials that finish are ranked by k-fold cross-validation on the non-test rows instead (every fitted step refitted per fold).',
  inputs: { data: port('dataset'), spec: port('model-spec') },
  outputs: { model: port('model'), metrics: port('metrics') },
  params: {
    searchSpace: p.json(
      { learningRate: [0.001, 0.003, 0.01], layers: [[32], [64, 32]] },
      { label: 'Search space', help: 'JSON: parameter → list of values. Training: learningRate, batchSize, optimizer; plus the spec hyperparameters (layers, activation, dropout, l2…).' },
    ),
    strategy: p.select(['grid', 'random'], 'grid'),
    maxTrials: p.int(12, { min: 1, max: 200, label: 'Max trials' }),
    maxSeconds: p.int(300, { min: 5, max: 86400, label: 'Max seconds', help: 'No new trial or rung starts after this.' }),
    metric: p.select(['val_loss', 'val_accuracy'], 'val_loss', { label: 'Optimise' }),
    halving: p.boolean(true, { label: 'Successive halving' }),
    score: p.select(['validation', 'cv'], 'validation', {
      label: 'Rank by',
      help: 'validation: the metric on the validation rows. cv: the trials that finish (halving keeps at least two) are cross-validated on the non-test rows, every fitted step refitted per fold; the best mean accuracy (classes) or R² wins.',
    }),
    folds: p.int(5, { min: 2, max: 20, label: 'CV folds', help: 'Folds when ranking by cv.' }),
    epochs: p.int(150, { min: 1, max: 5000, label: 'Max epochs per trial' }),
    patience: p.int(20, { min: 1, max: 1000 }),
    optimizer: p.select(OPTIMIZERS, 'adam'),
    learningRate: p.number(0.005, { min: 1e-6, max: 1, label: 'Learning rate (when not searched)' }),
    batchSize: p.int(32, { min: 1, max: 65536, label: 'Batch size (when not searched)' }),
    validationFraction: p.number(0.15, { min: 0.05, max: 0.5, label: 'Validation share', help: 'Held out of train when the dataset has no validation partition.' }),
    task: p.select(['auto', 'classification', 'regression'], 'auto'),
    seed: p.int(0, { min: 0, max: 2 ** 31 - 1, help: '0 uses the graph seed.' }),
  },
});
