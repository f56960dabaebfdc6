import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const evaluateCvSpec = defineSpec({
  type: 'evaluate.cv',
  version: 1,
  title: 'Cross-validate',
  stage: 'evaluate',
  description:
    'k-fold cross-validation of how the model was made: in each fold every fitted step (impute, encode, scale, PCA…) is learned again on the fold\'s training rows and the model is retrained the same way, then scored on the held-out fold. Reports mean ± sd and each fold; the test partition is left untouched.',
  inputs: { model: port('model'), data: port('dataset') },
  outputs: { metrics: port('metrics') },
  params: {
    folds: p.int(5, { min: 2, max: 20, label: 'Folds' }),
    repeats: p.int(1, { min: 1, max: 10, label: 'Repeats', help: 'Reshuffle and run the k folds again this many times.' }),
    stratify: p.boolean(true, { label: 'Stratify by class', help: 'keep class proportions in every fold (classification)' }),
    refit: p.boolean(true, {
      label: 'Refit fitted steps per fold',
      help: 'off: reuse the chain as fitted, whose statistics saw each fold\'s held-out rows (leaky; only to measure the leak)',
    }),
    seed: p.int(0, { min: 0, max: 2 ** 31 - 1, help: '0 uses the graph seed.' }),
  },
});
