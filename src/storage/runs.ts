/**
 * Run history: one record per finished run (built by engine/run-record), newest first.
 * Each graph keeps its newest `keep` unstarred runs; starred runs are never pruned. A write
 * that hits the storage quota fails with a StorageFullError (the caller shows it) and deletes
 * nothing.
 */
import { runsToPrune, upgradeRunRecord, type RunRecord } from '../engine/run-record';
import type { PipelineStudioDb } from './db';
import { guardQuota } from './errors';
import { scanRecords } from './records';
import { checkRunRecord } from './runRecords';
import { RUNS_KEPT_PER_GRAPH } from './run-limits';

export { RUNS_KEPT_PER_GRAPH };

/** What a user may change on a stored run. */
export type RunPatch = Partial<Pick<RunRecord, 'starred' | 'label'>>;

function clampKeep(keep: number): number {
  return Number.isFinite(keep) ? Math.max(1, Math.floor(keep)) : RUNS_KEPT_PER_GRAPH;
}

/** Stored runs upgraded to the current shape; a record that cannot be read is skipped (and never pruned). */
function readable(stored: readonly unknown[]): RunRecord[] {
  return scanRecords('runs', 'id', stored, checkRunRecord).records.map(upgradeRunRecord);
}

export class RunHistoryStore {
  constructor(
    private readonly db: PipelineStudioDb,
    private readonly keepPerGraph = RUNS_KEPT_PER_GRAPH,
  ) {}

  /** Stores a run and prunes its graph's oldest unstarred runs beyond `keep`; returns how many were pruned. */
  async add(run: RunRecord, keep = this.keepPerGraph): Promise<{ pruned: number }> {
    const { db } = this;
    return guardQuota('the run record', () =>
      db.transaction('rw', db.runs, async () => {
        await db.runs.put(run);
        const pruned = await this.pruneInTransaction(run.graphId, clampKeep(keep));
        return { pruned };
      }),
    );
  }

  private async pruneInTransaction(graphId: string, keep: number): Promise<number> {
    const runs = await this.db.runs.where('graphId').equals(graphId).toArray();
    const ids = runsToPrune(readable(runs), keep);
    await this.db.runs.bulkDelete(ids);
    return ids.length;
  }

  /** Deletes a graph's oldest unstarred runs beyond `keep` (after the limit was lowered); returns how many. */
  prune(graphId: string, keep: number): Promise<number> {
    return this.db.transaction('rw', this.db.runs, () => this.pruneInTransaction(graphId, clampKeep(keep)));
  }

  /** How many runs of a graph pruning to `keep` would delete. */
  async wouldPrune(graphId: string, keep: number): Promise<number> {
    const runs = await this.db.runs.where('graphId').equals(graphId).toArray();
    return runsToPrune(readable(runs), clampKeep(keep)).length;
  }

  /** A graph's runs, newest first. */
  async list(graphId: string, limit = Infinity): Promise<RunRecord[]> {
    const query = this.db.runs.where('[graphId+startedAt]').between([graphId, -Infinity], [graphId, Infinity]).reverse();
    const runs = await (Number.isFinite(limit) ? query.limit(limit) : query).toArray();
    return readable(runs);
  }

  /** Every graph's runs, newest first. */
  async listAll(): Promise<RunRecord[]> {
    return readable(await this.db.runs.orderBy('startedAt').reverse().toArray());
  }

  /** Ids of graphs that have runs. */
  async graphIds(): Promise<string[]> {
    return (await this.db.runs.orderBy('graphId').uniqueKeys()).map(String);
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const run = await this.db.runs.get(id);
    return run && readable([run])[0];
  }

  /** Stars / labels a run. */
  async update(id: string, patch: RunPatch): Promise<void> {
    const changes: RunPatch = {};
    if (patch.starred !== undefined) changes.starred = patch.starred;
    if (patch.label !== undefined) changes.label = patch.label.trim();
    const updated = await guardQuota('the run', () => this.db.runs.update(id, changes));
    if (updated === 0) throw new Error('That run is no longer stored (deleted in another tab?)');
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.db.runs.bulkDelete([...ids]);
  }

  async clear(graphId: string): Promise<void> {
    await this.db.runs.where('graphId').equals(graphId).delete();
  }
}
