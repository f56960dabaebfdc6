import { describe, expect, it } from 'vitest';
import { checkParam } from '../../engine/params';
import { runNode } from '../../ml/test-helpers';
import { logisticRegression } from './logistic';

describe('model.logistic', () => {
  it('emits a logistic spec', async () => {
    const out = await runNode(logisticRegression, {}, { nodeId: 'log' });
    expect(out.spec).toEqual({ family: 'logistic', hyper: { l2: 0.0001 }, nodeId: 'log' });
  });
  it('rejects a negative penalty through its param spec', () => {
    expect(checkParam(logisticRegression.params.l2, -1)).toMatch(/≥ 0/);
  });
});
