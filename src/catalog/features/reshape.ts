import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const featuresReshapeSpec = defineSpec({
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
});
