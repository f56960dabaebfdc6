import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const prepDedupeSpec = defineSpec({
  type: 'prep.dedupe',
  version: 1,
  title: 'Drop duplicate rows',
  stage: 'prep',
  description: 'Keeps the first of rows that are equal on the chosen columns (all columns when none chosen).',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: { columns: p.columns({ columnKind: 'any', label: 'Compare on', help: 'empty: all columns' }) },
});
