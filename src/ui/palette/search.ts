import type { AnyNodeSpec } from '../../engine/node';
import { STAGES } from '../../engine/node';
import { SYNONYMS, UNAVAILABLE } from './synonyms';

/** Lower case, `_`/`-`/`.` as spaces, single spaces: "train_test_split" and "Train-test split" read alike. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[_\-./]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const compact = (text: string) => normalize(text).replace(/ /g, '');

function searchText(def: AnyNodeSpec): string {
  return normalize(`${def.title} ${def.type} ${def.stage} ${def.description ?? ''} ${(SYNONYMS[def.type] ?? []).join(' ')}`);
}

/** Whether a synonym of `def` is the query, written with or without spaces ("StandardScaler", "one hot"). */
function synonymHit(def: AnyNodeSpec, query: string): boolean {
  const q = compact(query);
  return q.length > 2 && (SYNONYMS[def.type] ?? []).some((s) => compact(s) === q);
}

/**
 * Node types whose title, type, stage, description or synonyms (the words people use:
 * "standardize", "one-hot", "train test split") contain every word of `query`, or one of whose
 * synonyms is the query written without spaces ("StandardScaler"). Title and synonym hits first.
 */
export function searchNodes(defs: readonly AnyNodeSpec[], query: string): AnyNodeSpec[] {
  const q = normalize(query);
  const words = q.split(' ').filter(Boolean);
  const matches = defs.filter((def) => {
    const text = searchText(def);
    return words.every((w) => text.includes(w)) || synonymHit(def, query);
  });
  const rank = (def: AnyNodeSpec) => (normalize(def.title).startsWith(q) ? 0 : synonymHit(def, query) ? 1 : 2);
  return matches.sort((a, b) => rank(a) - rank(b) || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}

/**
 * For a method this app does not have ("random forest", "xgboost"): what to say, and the
 * node types to offer instead. Null when the query names nothing known to be missing.
 */
export function unavailableMethod(query: string): { message: string; instead: string[] } | null {
  const q = normalize(query);
  const c = compact(query);
  if (c.length < 2) return null;
  for (const entry of UNAVAILABLE) {
    if (entry.names.some((name) => q.includes(normalize(name)) || (c.length > 3 && c === compact(name)))) {
      const advice = entry.instead.length ? `try ${entry.instead.map((t) => TITLE_HINT[t] ?? t).join(' or ')}` : entry.note;
      return { message: `${entry.label} is not available here — ${advice}.`, instead: [...entry.instead] };
    }
  }
  return null;
}

/** Short names used in the "not available" hint. */
const TITLE_HINT: Record<string, string> = {
  'model.mlp': 'a Neural network (MLP)',
  'model.logistic': 'Logistic regression',
  'model.linear': 'Linear regression',
  'model.cnn': 'a Convolutional network (CNN)',
};

/**
 * What a search box lists: the matching nodes, and for a method we do not have, the hint and
 * (when nothing else matches) the nodes to try instead.
 */
export function searchWithHint(defs: readonly AnyNodeSpec[], query: string): { results: AnyNodeSpec[]; hint: string | null } {
  const results = searchNodes(defs, query);
  const missing = unavailableMethod(query);
  if (!missing) return { results, hint: null };
  const instead = missing.instead.map((type) => defs.find((d) => d.type === type)).filter((d): d is AnyNodeSpec => Boolean(d));
  return { results: results.length ? results : instead, hint: missing.message };
}
