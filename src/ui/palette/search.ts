import type { AnyNodeSpec } from '../../engine/node';
import { STAGES } from '../../engine/node';

/** Node types whose title, type, stage or description contain every word of `query`. */
export function searchNodes(defs: readonly AnyNodeSpec[], query: string): AnyNodeSpec[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = defs.filter((def) => {
    const text = `${def.title} ${def.type} ${def.stage} ${def.description ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  // Title matches first, then pipeline order.
  const q = query.toLowerCase().trim();
  return matches.sort(
    (a, b) =>
      Number(!a.title.toLowerCase().startsWith(q)) - Number(!b.title.toLowerCase().startsWith(q)) ||
      STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage),
  );
}
