/** Each node's last shown result per graph (status, summary, views, columns), for after a reload. */
import type { NodeOutputRecord, PipelineStudioDb } from './db';
import { guardQuota } from './errors';

export class NodeOutputStore {
  constructor(private readonly db: PipelineStudioDb) {}

  /** Replaces the records of these nodes (one per graph and node). */
  async put(records: NodeOutputRecord[]): Promise<void> {
    if (records.length === 0) return;
    await guardQuota('node results', () => this.db.nodeOutputs.bulkPut(records));
  }

  forGraph(graphId: string): Promise<NodeOutputRecord[]> {
    return this.db.nodeOutputs.where('graphId').equals(graphId).toArray();
  }

  get(graphId: string, nodeId: string): Promise<NodeOutputRecord | undefined> {
    return this.db.nodeOutputs.get([graphId, nodeId]);
  }

  async clear(graphId: string): Promise<void> {
    await this.db.nodeOutputs.where('graphId').equals(graphId).delete();
  }
}
