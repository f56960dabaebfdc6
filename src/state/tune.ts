/**
 * "Use these params" from a tune node's leaderboard: a trial's values go into the nodes that
 * own them — spec hyperparameters into the spec node feeding the tune node, training settings
 * (learning rate, batch size, optimizer) into every train node fed by that same spec node —
 * as one undo step.
 */
import { getDefinition } from './catalogue';
import { staleAfterEdit } from './runSlice';
import { editorStore, type EditorStore } from './store';

export interface AppliedParams {
  /** node id → the params written there (only those whose value changed). */
  changed: Record<string, Record<string, unknown>>;
  /** Trial params no upstream node takes (e.g. no train node is fed by the spec). */
  unused: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes `params` (one trial's) into the spec and train nodes around tune node `tuneId`. */
export function applyTrialParams(tuneId: string, params: Record<string, unknown>, store: EditorStore = editorStore): AppliedParams {
  const state = store.getState();
  const specId = state.edges.find((e) => e.to.node === tuneId && e.to.port === 'spec')?.from.node;
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  const trainIds = specId
    ? state.edges
        .filter((e) => e.from.node === specId && e.to.node !== tuneId && byId.get(e.to.node)?.type.startsWith('train.'))
        .map((e) => e.to.node)
    : [];
  const owners = [specId, ...trainIds].filter((id): id is string => id !== undefined);
  const changed: Record<string, Record<string, unknown>> = {};
  const unused: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    let taken = false;
    for (const id of owners) {
      const node = byId.get(id)!;
      const def = getDefinition(node.type);
      if (!def || !(key in def.params)) continue;
      taken = true;
      const current = key in node.params ? node.params[key] : def.params[key].default;
      if (!same(current, value)) (changed[id] ??= {})[key] = value;
      // Spec hyperparameters belong to the spec node only; training settings to every train node.
      if (id === specId) break;
    }
    if (!taken) unused.push(key);
  }
  if (Object.keys(changed).length > 0) {
    // One setState: one undo step for the whole trial.
    store.setState((s) => {
      return {
        nodes: s.nodes.map((n) => (changed[n.id] ? { ...n, params: { ...n.params, ...changed[n.id] } } : n)),
        nodeRuns: staleAfterEdit(s.nodeRuns, s.edges, Object.keys(changed)),
      };
    });
  }
  return { changed, unused };
}
