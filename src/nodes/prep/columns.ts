import { implement } from '../../engine/node';
import { DataError, getColumn } from '../../data/table';
import { fitAndAppend, plural, recalled, remember } from './common';
import { prepColumnsSpec } from '../../catalog/prep/columns';

export const prepColumns = implement(prepColumnsSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    for (const name of params.columns) getColumn(dataset.table, name);
    if (params.columns.includes(dataset.roles.target ?? '\u0000')) throw new DataError(`"${dataset.roles.target}" is the target: it cannot be dropped (change it with the Roles node).`);
    const drop = params.mode === 'drop' ? params.columns : dataset.table.columns.map((c) => c.name).filter((n) => !params.columns.includes(n) && n !== dataset.roles.target);
    if (drop.length === 0) return { data: remember(dataset, 'no columns dropped') };
    if (drop.length >= dataset.roles.features.length && dataset.roles.features.every((f) => drop.includes(f))) {
      throw new DataError('That would drop every feature: keep at least one.');
    }
    const { dataset: out } = fitAndAppend(dataset, nodeId, 'drop', () => ({ columns: drop }), progress);
    return { data: remember(out, `dropped ${plural(drop.length, 'column')}; ${plural(out.roles.features.length, 'feature')} left`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
