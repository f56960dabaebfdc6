/** Small node types for the store's unit tests (the real catalogue is built by others). */
import { defineNode, type AnyNodeDefinition } from '../engine/node';
import { p } from '../engine/params';
import { port } from '../engine/ports';

const notRun = async (): Promise<never> => {
  throw new Error('test node: not runnable');
};

export const TEST_NODES: AnyNodeDefinition[] = [
  defineNode({ type: 'data.source', version: 1, title: 'Source', stage: 'data', inputs: {}, outputs: { table: port('table') }, params: { url: p.text('iris.csv') }, run: notRun }),
  defineNode({
    type: 'prep.scale',
    version: 2,
    title: 'Scale',
    stage: 'prep',
    inputs: { data: port('table') },
    outputs: { data: port('table') },
    params: { method: p.select(['standard', 'minmax'], 'standard'), epochs: p.int(10, { min: 1, max: 100 }) },
    run: notRun,
  }),
  defineNode({ type: 'train.fit', version: 1, title: 'Train', stage: 'train', inputs: { data: port('dataset'), spec: port('model-spec') }, outputs: { model: port('model') }, params: {}, run: notRun }),
];
