import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** How rows are assigned to train / validation / test. */
export const SPLIT_MODES = ['random', 'column', 'time', 'group'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

export const prepSplitSpec = defineSpec({
  type: 'prep.split',
  version: 1,
  title: 'Split train / validation / test',
  stage: 'prep',
  description:
    'Random (seeded, optionally stratified), by a column that names each row\'s part, time-ordered (the latest rows are the test), or grouped (rows sharing a group id stay in one part). Fitted steps after it learn on the train rows only.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    mode: p.select(SPLIT_MODES, 'random', {
      label: 'Split by',
      help: 'random: seeded shuffle; column: a column says train / validation / test; time: earliest rows train, latest rows test; group: rows with the same group id stay together',
    }),
    column: p.column({
      columnKind: 'any',
      label: 'Column',
      help: 'column: holds train / validation / test; time: the time order (empty: the file order); group: the group id',
    }),
    train: p.number(0.7, { min: 0.05, max: 1, step: 0.05, label: 'Train fraction' }),
    validation: p.number(0.15, { min: 0, max: 0.9, step: 0.05, label: 'Validation fraction' }),
    test: p.number(0.15, { min: 0, max: 0.9, step: 0.05, label: 'Test fraction' }),
    stratify: p.boolean(true, { label: 'Stratify by target', help: 'keep class proportions in every part (classification targets, random mode)' }),
  },
  check: (params): Record<string, string> | null => {
    if (params.mode !== 'column' && Math.abs(params.train + params.validation + params.test - 1) > 1e-6) {
      return { train: `fractions must add up to 1 (now ${+(params.train + params.validation + params.test).toFixed(4)})` };
    }
    if ((params.mode === 'column' || params.mode === 'group') && params.column === '') return { column: `choose the ${params.mode === 'group' ? 'group id' : 'split'} column` };
    return null;
  },
});
