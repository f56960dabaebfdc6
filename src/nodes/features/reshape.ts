import { implement } from '../../engine/node';
import { DataError, getColumn, isNumeric } from '../../data/table';
import { featuresReshapeSpec } from '../../catalog/features/reshape';

/** Infers [height, width, channels] for n pixel features: a square, single-channel image unless told. */
export function imageShape(n: number, height: number, width: number, channels: number): number[] {
  const c = channels > 0 ? channels : 1;
  if (height > 0 && width > 0) {
    if (height * width * c !== n) throw new DataError(`${height}×${width}×${c} = ${height * width * c}, but there are ${n} features.`);
    return [height, width, c];
  }
  const side = Math.round(Math.sqrt(n / c));
  if (side * side * c !== n) throw new DataError(`${n} features are not a square image with ${c} channel(s): give height and width.`);
  return [side, side, c];
}

export const featuresReshape = implement(featuresReshapeSpec, {
  run: async ({ inputs, params }) => {
    const dataset = inputs.data;
    for (const name of dataset.roles.features) {
      const column = getColumn(dataset.table, name);
      if (!isNumeric(column)) throw new DataError(`Feature "${name}" is ${column.dtype}: image features must all be numeric pixels.`);
    }
    const featureShape = imageShape(dataset.roles.features.length, params.height, params.width, params.channels);
    return { data: { ...dataset, featureShape } };
  },
  summarize: ({ data }) => ({ text: `${data.roles.features.length} features → ${data.featureShape!.join('×')} images` }),
});
