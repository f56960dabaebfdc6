import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

const STRATEGIES = ['drop rows', 'mean', 'median', 'most frequent', 'constant'] as const;

export const prepMissingSpec = defineSpec({
  type: 'prep.missing',
  version: 1,
  title: 'Missing values',
  stage: 'prep',
  description: 'Drop rows with missing values, or fill them with a value learned on the train rows (kept in the model for serving).',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    strategy: p.select(STRATEGIES, 'median', { label: 'Strategy' }),
    columns: p.columns({ columnKind: 'feature', label: 'Columns', help: 'empty: every feature with missing values' }),
    constant: p.text('', { label: 'Constant', help: 'for the constant strategy' }),
  },
  check: (params) => (params.strategy === 'constant' && params.constant === '' ? { constant: 'give the fill value' } : null),
});
