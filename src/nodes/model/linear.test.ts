import { describe, expect, it } from 'vitest';
import { runNode } from '../../ml/test-helpers';
import { linearRegression } from './linear';

describe('model.linear', () => {
  it('emits a linear spec with its L2 penalty', async () => {
    const out = await runNode(linearRegression, {}, { params: { l2: 0.5 }, nodeId: 'lin' });
    expect(out.spec).toEqual({ family: 'linear', hyper: { l2: 0.5 }, nodeId: 'lin' });
    expect(linearRegression.summarize!(out as never, { l2: 0 } as never).text).toBe('least squares');
  });
  it('declares a non-negative L2 so the inspector rejects a negative one', () => {
    expect(linearRegression.params.l2).toMatchObject({ kind: 'number', min: 0 });
  });
});
