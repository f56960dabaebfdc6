import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const evaluateSpec = defineSpec({
  type: 'evaluate.metrics',
  version: 1,
  title: 'Evaluate model',
  stage: 'evaluate',
  description: 'Accuracy, per-class precision/recall/F1, confusion matrix and ROC (classification), or R², MAE, RMSE and residuals (regression).',
  inputs: { model: port('model'), data: port('dataset') },
  outputs: { metrics: port('metrics') },
  params: {
    partition: p.select(['test', 'validation', 'train'], 'test'),
    maxRows: p.int(300, { min: 10, max: 5000, label: 'Rows kept for tables', help: 'Cap on the predictions table and residual sample.' }),
  },
});
