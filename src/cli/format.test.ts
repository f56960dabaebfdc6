import { describe, expect, it } from 'vitest';
import { progressLine, statusLine, textTable } from './format';

const at = new Date(2026, 0, 1, 12, 0, 1);

describe('CLI text output', () => {
  it('writes progress lines without repeating what the message says', () => {
    const line = progressLine('train', 6, { type: 'node-progress', runId: 'r', nodeId: 'train', fraction: 0.4, message: 'epoch 8/20 loss 0.3100', metrics: { epoch: 8, loss: 0.31, val_loss: 0.35, acc: 0.9 } }, at);
    expect(line).toBe('[12:00:01] train  running 40% epoch 8/20 loss 0.3100 val_loss 0.350 acc 0.900');
  });

  it('writes status lines and aligned tables', () => {
    expect(statusLine('iris', 5, 'done in 3 ms', 'iris: 150 rows', at)).toBe('[12:00:01] iris  done in 3 ms iris: 150 rows');
    expect(textTable(['node', 'status'], [['a', 'done'], ['longer', 'error']])).toBe('node    status\n------  ------\na       done\nlonger  error');
  });
});
