import { describe, expect, it } from 'vitest';
import { checkParam } from '../../engine/params';
import { runNode } from '../../ml/test-helpers';
import { cnn } from './cnn';

describe('model.cnn', () => {
  it('emits conv blocks, kernel, pool and dense size', async () => {
    const out = await runNode(cnn, {}, { params: { filters: [8] } });
    expect(out.spec).toMatchObject({ family: 'cnn', hyper: { filters: [8], kernel: 3, pool: 2, dense: 64, activation: 'relu' } });
  });
  it('needs at least one conv block', () => {
    expect(checkParam(cnn.params.filters, [])).toMatch(/at least 1/);
  });
});
