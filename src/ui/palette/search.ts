import { useEffect, useSyncExternalStore } from 'react';
import type { AnyNodeSpec } from '../../engine/node';
import { STAGES } from '../../engine/node';
import type * as SearchWordsModule from './synonyms';

type SearchWords = Pick<typeof SearchWordsModule, 'SYNONYMS' | 'UNAVAILABLE'>;

/**
 * The words people search with (synonyms, methods this app lacks) load in their own chunk,
 * requested when a search box first mounts (the palette: right after the first paint), so they
 * are here before anyone types. Until then a search matches titles, types and descriptions.
 */
let searchWords: SearchWords | null = null;
let searchWordsLoad: Promise<void> | null = null;
const searchWordsListeners = new Set<() => void>();

export function loadSearchWords(): Promise<void> {
  searchWordsLoad ??= import('./synonyms').then(
    (words) => {
      searchWords = words;
      for (const listener of searchWordsListeners) listener();
    },
    (error: unknown) => {
      searchWordsLoad = null; // tried again by the next search box
      throw error;
    },
  );
  return searchWordsLoad;
}

function subscribeSearchWords(listener: () => void): () => void {
  searchWordsListeners.add(listener);
  return () => searchWordsListeners.delete(listener);
}

/** Starts loading the search words: them once here (a search with them re-runs then), else null. */
export function useSearchWords(): SearchWords | null {
  useEffect(() => {
    loadSearchWords().catch(() => {}); // without them a search still matches titles and descriptions
  }, []);
  return useSyncExternalStore(subscribeSearchWords, () => searchWords);
}

/** Lower case, `_`/`-`/`.` as spaces, single spaces: "train_test_split" and "Train-test split" read alike. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[_\-./]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const compact = (text: string) => normalize(text).replace(/ /g, '');

function searchText(def: AnyNodeSpec, vocabulary: SearchWords | null): string {
  return normalize(`${def.title} ${def.type} ${def.stage} ${def.description ?? ''} ${(vocabulary?.SYNONYMS[def.type] ?? []).join(' ')}`);
}

/** Whether a synonym of `def` is the query, written with or without spaces ("StandardScaler", "one hot"). */
function synonymHit(def: AnyNodeSpec, query: string, vocabulary: SearchWords | null): boolean {
  const q = compact(query);
  return q.length > 2 && (vocabulary?.SYNONYMS[def.type] ?? []).some((s) => compact(s) === q);
}

/**
 * Node types whose title, type, stage, description or synonyms (the words people use:
 * "standardize", "one-hot", "train test split") contain every word of `query`, or one of whose
 * synonyms is the query written without spaces ("StandardScaler"). Title and synonym hits first.
 */
export function searchNodes(defs: readonly AnyNodeSpec[], query: string, vocabulary: SearchWords | null = searchWords): AnyNodeSpec[] {
  const q = normalize(query);
  const words = q.split(' ').filter(Boolean);
  const matches = defs.filter((def) => {
    const text = searchText(def, vocabulary);
    return words.every((w) => text.includes(w)) || synonymHit(def, query, vocabulary);
  });
  const rank = (def: AnyNodeSpec) => (normalize(def.title).startsWith(q) ? 0 : synonymHit(def, query, vocabulary) ? 1 : 2);
  return matches.sort((a, b) => rank(a) - rank(b) || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}

/**
 * For a method this app does not have ("random forest", "xgboost"): what to say, and the
 * node types to offer instead. Null when the query names nothing known to be missing.
 */
export function unavailableMethod(query: string, vocabulary: SearchWords | null = searchWords): { message: string; instead: string[] } | null {
  const q = normalize(query);
  const c = compact(query);
  if (c.length < 2) return null;
  for (const entry of vocabulary?.UNAVAILABLE ?? []) {
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
export function searchWithHint(defs: readonly AnyNodeSpec[], query: string, vocabulary: SearchWords | null = searchWords): { results: AnyNodeSpec[]; hint: string | null } {
  const results = searchNodes(defs, query, vocabulary);
  const missing = unavailableMethod(query, vocabulary);
  if (!missing) return { results, hint: null };
  const instead = missing.instead.map((type) => defs.find((d) => d.type === type)).filter((d): d is AnyNodeSpec => Boolean(d));
  return { results: results.length ? results : instead, hint: missing.message };
}
