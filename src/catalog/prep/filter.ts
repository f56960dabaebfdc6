import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const FILTER_OPS = ['==', '!=', '<', '<=', '>', '>=', 'contains', 'is missing', 'is not missing'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const prepFilterSpec = defineSpec({
  type: 'prep.filter',
  version: 1,
  title: 'Filter rows',
  stage: 'prep',
  description: 'Keep the rows where a condition holds (column, operator, value).',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    column: p.column({ columnKind: 'any', label: 'Column' }),
    op: p.select(FILTER_OPS, '==', { label: 'Operator' }),
    value: p.text('', { label: 'Value' }),
  },
  check: (params) => (params.column === '' ? { column: 'choose a column' } : null),
});
