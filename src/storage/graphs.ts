/**
 * Saved graphs for the UI: list/get/put/rename/duplicate/delete with a revision counter.
 * A write names the revision it started from; if another tab saved in between, the write
 * is refused with a RevisionConflictError instead of silently overwriting. Every change is
 * also announced on a BroadcastChannel so other tabs can notice without polling.
 */
import type { Graph } from '../engine/graph';
import type { GraphRecord, PipelineStudioDb } from './db';
import { guardQuota, newId, RevisionConflictError } from './errors';

export const GRAPHS_CHANNEL = 'pipeline-studio-graphs';

export type GraphChange =
  | { type: 'saved' | 'renamed'; id: string; revision: number; name: string; source: string }
  | { type: 'deleted'; id: string; source: string };

export interface GraphListItem {
  id: string;
  name: string;
  updatedAt: number;
  revision: number;
  nodeCount: number;
}

/** Identifies this tab/thread in change messages so it can ignore its own. */
const SOURCE_ID = newId('tab');

export class GraphStore {
  private channel: BroadcastChannel | null = null;

  constructor(private readonly db: PipelineStudioDb) {}

  async list(): Promise<GraphListItem[]> {
    const records = await this.db.graphs.orderBy('updatedAt').reverse().toArray();
    return records.map((r) => ({ id: r.id, name: r.name, updatedAt: r.updatedAt, revision: r.revision, nodeCount: r.graph.nodes.length }));
  }

  get(id: string): Promise<GraphRecord | undefined> {
    return this.db.graphs.get(id);
  }

  /**
   * Saves `graph` under `graph.id`. `expectedRevision` is the revision this copy was loaded
   * at (0 or omitted for a graph never saved); returns the new revision.
   */
  async put(graph: Graph, expectedRevision?: number): Promise<number> {
    const { db } = this;
    const record = await guardQuota(`graph "${graph.name}"`, () =>
      db.transaction('rw', db.graphs, async () => {
        const current = await db.graphs.get(graph.id);
        const currentRevision = current?.revision ?? 0;
        if (expectedRevision !== undefined && expectedRevision !== currentRevision) {
          throw new RevisionConflictError(graph.id, expectedRevision, currentRevision);
        }
        const next: GraphRecord = {
          id: graph.id,
          name: graph.name,
          updatedAt: Date.now(),
          revision: currentRevision + 1,
          graph: structuredClone(graph),
        };
        await db.graphs.put(next);
        return next;
      }),
    );
    this.announce({ type: 'saved', id: record.id, revision: record.revision, name: record.name, source: SOURCE_ID });
    return record.revision;
  }

  async rename(id: string, name: string): Promise<number> {
    const { db } = this;
    const trimmed = name.trim();
    if (!trimmed) throw new Error('A graph name cannot be empty');
    const record = await db.transaction('rw', db.graphs, async () => {
      const current = await db.graphs.get(id);
      if (!current) throw new Error(`No saved graph with id "${id}"`);
      const next = { ...current, name: trimmed, graph: { ...current.graph, name: trimmed }, revision: current.revision + 1, updatedAt: Date.now() };
      await db.graphs.put(next);
      return next;
    });
    this.announce({ type: 'renamed', id, revision: record.revision, name: record.name, source: SOURCE_ID });
    return record.revision;
  }

  /** Copies a saved graph under a new id; returns the copy. */
  async duplicate(id: string, name?: string): Promise<Graph> {
    const source = await this.get(id);
    if (!source) throw new Error(`No saved graph with id "${id}"`);
    const copy: Graph = { ...structuredClone(source.graph), id: newId('graph'), name: name?.trim() || `${source.name} (copy)` };
    await this.put(copy, 0);
    return copy;
  }

  async delete(id: string): Promise<void> {
    // Its nodes' last results go with it.
    await this.db.transaction('rw', this.db.graphs, this.db.nodeOutputs, async () => {
      await this.db.graphs.delete(id);
      await this.db.nodeOutputs.where('graphId').equals(id).delete();
    });
    this.announce({ type: 'deleted', id, source: SOURCE_ID });
  }

  /** Calls `listener` for changes made by other tabs. Returns an unsubscribe function. */
  subscribe(listener: (change: GraphChange) => void): () => void {
    if (typeof BroadcastChannel === 'undefined') return () => {};
    const channel = new BroadcastChannel(GRAPHS_CHANNEL);
    channel.onmessage = (event: MessageEvent<GraphChange>) => {
      if (event.data && event.data.source !== SOURCE_ID) listener(event.data);
    };
    return () => channel.close();
  }

  /** Closes the announcing channel (tests, teardown). */
  close(): void {
    this.channel?.close();
    this.channel = null;
  }

  private announce(change: GraphChange): void {
    if (typeof BroadcastChannel === 'undefined') return;
    this.channel ??= new BroadcastChannel(GRAPHS_CHANNEL);
    this.channel.postMessage(change);
  }
}
