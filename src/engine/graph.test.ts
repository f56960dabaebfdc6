import { describe, expect, it } from 'vitest';
import { type GraphNode, sameNodeContent } from './graph';

describe('sameNodeContent', () => {
  const params = { factor: 2 };
  const node: GraphNode = { id: 'a', type: 'prep.scale', version: 1, params, position: { x: 0, y: 0 }, label: 'Scale' };

  it('leaves out the id and the position', () => {
    const moved: GraphNode = { ...node, id: 'b', position: { x: 5, y: 9 } };
    expect(sameNodeContent(node, moved)).toBe(true);
  });

  it('tells every content field apart; params and placeholder by reference', () => {
    const changes: Partial<GraphNode>[] = [
      { type: 'prep.impute' },
      { params: { factor: 2 } },
      { label: 'Other' },
      { label: undefined },
      { version: 2 },
      { placeholder: { originalType: 'x', reason: 'unknown' } },
      { disabled: true },
    ];
    for (const change of changes) {
      const changed: GraphNode = { ...node, ...change };
      expect(sameNodeContent(node, changed), JSON.stringify(change)).toBe(false);
    }
  });
});
