/**
 * Editor commands of the Runs view that reach beyond it: restoring the graph a run came
 * from, and applying a new run-history size.
 */
import type { RunRecord } from '../engine/run-record';
import { getStores } from './stores';
import { openGraph, openUnsaved } from './session';
import { editorStore } from './store';
import { errorMessage } from '../engine/errors';

function message(error: unknown): string {
  return errorMessage(error);
}

/**
 * Opens the graph as it was for `run`, as a new revision of its graph (one undo step: undo
 * returns to the version before). A run of another graph opens that graph first; a run
 * whose graph was deleted opens as a new graph.
 */
export async function restoreRun(run: RunRecord): Promise<boolean> {
  const store = editorStore.getState();
  if (!run.graph) {
    store.toast('error', 'This run was recorded before runs kept their graph: it cannot be restored');
    return false;
  }
  const when = new Date(run.startedAt).toLocaleString();
  try {
    if (store.graphId !== run.graphId && !(await openGraph(run.graphId))) {
      await openUnsaved({ ...run.graph, name: `${run.graph.name} (restored)` });
      editorStore.getState().setView('editor');
      editorStore.getState().toast('info', `The graph of the run of ${when} was deleted: it opened as a new graph`);
      return true;
    }
    editorStore.getState().replaceDocument({ ...run.graph, id: run.graphId });
    editorStore.getState().setView('editor');
    editorStore.getState().toast('info', `Restored the graph of the run of ${when} (undo returns to the version before)`);
    return true;
  } catch (error) {
    editorStore.getState().toast('error', `Could not restore the run: ${message(error)}`);
    return false;
  }
}

/**
 * Sets how many runs each graph keeps. Lowering it deletes the oldest unstarred runs beyond
 * it, after `confirmDelete` agreed (it is told how many). Starred runs always stay.
 */
export async function setRunsKept(keep: number, confirmDelete: (count: number) => boolean): Promise<boolean> {
  const { runs } = await getStores();
  const graphIds = await runs.graphIds();
  let count = 0;
  for (const id of graphIds) count += await runs.wouldPrune(id, keep);
  if (count > 0 && !confirmDelete(count)) return false;
  for (const id of graphIds) await runs.prune(id, keep);
  editorStore.getState().updateSettings({ runsKeptPerGraph: keep });
  editorStore.getState().bumpLibrary();
  return true;
}
