import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/**
 * Table → dataset. Data nodes output plain tables (reading a file is one decision) and this
 * node makes the modelling decision: which column is predicted and which ones predict it.
 */
export const prepRolesSpec = defineSpec({
  type: 'prep.roles',
  version: 1,
  title: 'Roles (target & features)',
  stage: 'prep',
  description: 'Choose the column to predict and the feature columns; turns a table into a dataset.',
  inputs: { table: port('table') },
  outputs: { data: port('dataset') },
  params: {
    target: p.column({ columnKind: 'any', label: 'Target', help: 'the column to predict' }),
    features: p.columns({ columnKind: 'any', label: 'Features', help: 'empty: every other column' }),
    missingTarget: p.select(['error', 'drop rows'], 'error', { label: 'Rows without a target' }),
  },
  check: (params) => (params.target === '' ? { target: 'choose the target column' } : null),
});
