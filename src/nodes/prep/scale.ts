import { implement } from '../../engine/node';
import { fitScale, type ScaleMethod } from '../../data/transforms';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from './common';
import { prepScaleSpec } from '../../catalog/prep/scale';

export const prepScale = implement(prepScaleSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    if (columns.length === 0) return { data: remember(dataset, 'no numeric columns to scale') };
    const method: ScaleMethod = params.method;
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, 'scale', (rows) => fitScale(dataset.table, rows, columns, method), progress);
    return { data: remember(out, `scaled ${plural(columns.length, 'column')} (${method}, ${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
