import { implement } from '../../engine/node';
import { DataError } from '../../data/table';
import { polynomialTerms } from '../../data/transforms';
import { chooseColumns, fitAndAppend, plural, recalled, remember } from '../prep/common';
import { featuresPolynomialSpec } from '../../catalog/features/polynomial';

const MAX_NEW_COLUMNS = 2000;

export const featuresPolynomial = implement(featuresPolynomialSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    if (columns.length === 0) throw new DataError('No numeric features to combine.');
    const added = polynomialTerms(columns.length, params.degree, params.interactionOnly).length;
    if (added === 0) throw new DataError('Interaction terms need at least 2 columns.');
    if (added > MAX_NEW_COLUMNS) throw new DataError(`That would add ${added} columns (limit ${MAX_NEW_COLUMNS}): choose fewer columns or a lower degree.`);
    const state = { columns, degree: params.degree, interactionOnly: params.interactionOnly };
    const { dataset: out } = fitAndAppend(dataset, nodeId, 'polynomial', () => state, progress);
    return { data: remember(out, `added ${plural(added, `${params.interactionOnly ? 'interaction' : 'polynomial'} term`)} (degree ${params.degree}); ${out.roles.features.length} features`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
