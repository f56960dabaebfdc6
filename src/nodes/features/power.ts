import { implement } from '../../engine/node';
import { presentMin } from './shared';
import { DataError, getColumn } from '../../data/table';
import { powerDomain, type PowerMethod } from '../../data/transforms';
import type { NumericColumn } from '../../data/types';
import { chooseColumns, fitAndAppend, plural, recalled, remember } from '../prep/common';
import { featuresPowerSpec } from '../../catalog/features/power';

export const featuresPower = implement(featuresPowerSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const method: PowerMethod = params.method;
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    if (columns.length === 0) throw new DataError('No numeric features to transform.');
    const domain = powerDomain(method);
    if (domain) {
      // Refuse up front rather than silently turning training values into missing ones.
      for (const name of columns) {
        const min = presentMin(getColumn(dataset.table, name) as NumericColumn);
        if (min < domain.min || (!domain.inclusive && min === domain.min)) {
          throw new DataError(`Column "${name}" has values down to ${min}: ${method} needs values ${domain.inclusive ? '≥' : '>'} ${domain.min}.${method === 'log' ? ' Try log1p.' : ''}`);
        }
      }
    }
    const { dataset: out } = fitAndAppend(dataset, nodeId, 'power', () => ({ columns, method, exponent: params.exponent }), progress);
    return { data: remember(out, `${method === 'power' ? `x^${params.exponent}` : method} of ${plural(columns.length, 'column')}`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
