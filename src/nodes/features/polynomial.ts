import { DataError } from '../../data/table';
import { polynomialTerms } from '../../data/transforms';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { chooseColumns, fitAndAppend, plural, recalled, remember } from '../prep/common';

const MAX_NEW_COLUMNS = 2000;

export const featuresPolynomial = defineNode({
  type: 'features.polynomial',
  version: 1,
  title: 'Polynomial / interaction terms',
  stage: 'features',
  description: 'Adds products of numeric features (a*b, a^2, …) up to a degree; interaction only skips powers.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    degree: p.int(2, { min: 2, max: 3, label: 'Degree' }),
    interactionOnly: p.boolean(false, { label: 'Interactions only' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns', help: 'empty: every numeric feature' }),
  },
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
