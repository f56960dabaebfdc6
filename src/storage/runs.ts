/** Run history: one record per finished run, newest first, pruned per graph. */
import type { PipelineStudioDb, RunRecord } from './db';
import { guardQuota } from './errors';

export const RUNS_KEPT_PER_GRAPH = 50;

export class RunHistoryStore {
  constructor(
    private readonly db: PipelineStudioDb,
    private readonly keepPerGraph = RUNS_KEPT_PER_GRAPH,
  ) {}

  async add(run: RunRecord): Promise<void> {
    const { db } = this;
    await guardQuota('run history', () =>
      db.transaction('rw', db.runs, async () => {
        await db.runs.put(run);
        const older = await db.runs.where('[graphId+startedAt]').between([run.graphId, -Infinity], [run.graphId, Infinity]).reverse().offset(this.keepPerGraph).primaryKeys();
        await db.runs.bulkDelete(older);
      }),
    );
  }

  /** Newest first. */
  list(graphId: string, limit = this.keepPerGraph): Promise<RunRecord[]> {
    return this.db.runs.where('[graphId+startedAt]').between([graphId, -Infinity], [graphId, Infinity]).reverse().limit(limit).toArray();
  }

  async clear(graphId: string): Promise<void> {
    await this.db.runs.where('graphId').equals(graphId).delete();
  }
}
