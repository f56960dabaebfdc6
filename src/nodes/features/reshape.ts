import { DataError, getColumn, isNumeric } from '../../data/table';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

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

export const featuresReshape = defineNode({
  type: 'features.reshape',
  version: 1,
  title: 'Image shape',
  stage: 'features',
  description: 'Marks pixel features as an image (e.g. 64 columns → 8×8×1) so a CNN can use them. Features keep their row-major order.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    height: p.int(0, { min: 0, max: 4096, label: 'Height', help: '0: square' }),
    width: p.int(0, { min: 0, max: 4096, label: 'Width', help: '0: square' }),
    channels: p.int(1, { min: 1, max: 4, label: 'Channels' }),
  },
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
