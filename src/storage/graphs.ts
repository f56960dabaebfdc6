/**
 * Saved graphs for the UI: list/get/put/rename/duplicate/delete with a revision counter.
 * A graph is stored as its graph-file document and checked on every read (records.ts).
 * A write names the revision it started from; if another tab saved in between, the write
 * is refused with a RevisionConflictError instead of silently overwriting. Every change is
 * also announced on a BroadcastChannel so other tabs can notice without polling.
 */
import type { Graph } from '../engine/graph';
import { graphFileDocument } from '../engine/graph-file';
import type { PipelineStudioDb } from './db';
import { guardQuota, newId, RevisionConflictError } from './errors';
import { checkGraphRecord, scanRecords, type GraphRecord, type RecordScan } from './records';

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

/** A row read back: its checked record, or undefined when it is damaged (or, with `id`, an error). */
function readable(raw: unknown): GraphRecord | undefined;
function readable(raw: unknown, id: string): GraphRecord;
function readable(raw: unknown, id?: string): GraphRecord | undefined {
  if (raw === undefined) {
    if (id !== undefined) throw new Error(`No saved graph with id "${id}"`);
    return undefined;
  }
  const checked = checkGraphRecord(raw);
  if (checked.ok) return checked.value;
  if (id !== undefined) throw new Error(`The saved graph "${id}" is damaged (${checked.problem}): export or delete it in the Graphs tab`);
  return undefined;
}

/** Identifies this tab/thread in change messages so it can ignore its own. */
const SOURCE_ID = newId('tab');

export class GraphStore {
  private channel: BroadcastChannel | null = null;

  constructor(private readonly db: PipelineStudioDb) {}

  /** Every stored graph, newest first, and the rows that cannot be read (listed as damaged). */
  async scan(): Promise<RecordScan<GraphListItem>> {
    const { records, damaged } = scanRecords('graphs', 'id', await this.db.graphs.toArray(), checkGraphRecord);
    const items = records.map((r) => ({ id: r.id, name: r.name, updatedAt: r.updatedAt, revision: r.revision, nodeCount: r.file.graph.nodes.length }));
    return { records: items.sort((a, b) => b.updatedAt - a.updatedAt), damaged };
  }

  async list(): Promise<GraphListItem[]> {
    return (await this.scan()).records;
  }

  /** The stored graph; undefined when there is none or its row is damaged (see `scan`). */
  async get(id: string): Promise<GraphRecord | undefined> {
    return readable(await this.db.graphs.get(id));
  }

  /**
   * Saves `graph` under `graph.id` as a graph-file document. `expectedRevision` is the
   * revision this copy was loaded at (0 or omitted for a graph never saved); returns the new revision.
   */
  async put(graph: Graph, expectedRevision?: number): Promise<number> {
    const { db } = this;
    const record = await guardQuota(`graph "${graph.name}"`, () =>
      db.transaction('rw', db.graphs, async () => {
        const current: { revision?: unknown } | undefined = await db.graphs.get(graph.id);
        const currentRevision = typeof current?.revision === 'number' ? current.revision : 0;
        if (expectedRevision !== undefined && expectedRevision !== currentRevision) {
          throw new RevisionConflictError(graph.id, expectedRevision, currentRevision);
        }
        const next: GraphRecord = {
          id: graph.id,
          name: graph.name,
          updatedAt: Date.now(),
          revision: currentRevision + 1,
          file: graphFileDocument(graph, undefined, { keepOrder: true }),
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
      const current = readable(await db.graphs.get(id), id);
      const next: GraphRecord = { ...current, name: trimmed, file: { ...current.file, graph: { ...current.file.graph, name: trimmed } }, revision: current.revision + 1, updatedAt: Date.now() };
      await db.graphs.put(next);
      return next;
    });
    this.announce({ type: 'renamed', id, revision: record.revision, name: record.name, source: SOURCE_ID });
    return record.revision;
  }

  /** Copies a saved graph under a new id; returns the copy's list entry. */
  async duplicate(id: string, name?: string): Promise<GraphListItem> {
    const { db } = this;
    const source = readable(await db.graphs.get(id), id);
    const copy: GraphRecord = {
      id: newId('graph'),
      name: name?.trim() || `${source.name} (copy)`,
      updatedAt: Date.now(),
      revision: 1,
      file: structuredClone(source.file),
    };
    copy.file.graph = { ...copy.file.graph, id: copy.id, name: copy.name };
    await guardQuota(`graph "${copy.name}"`, () => db.graphs.add(copy));
    this.announce({ type: 'saved', id: copy.id, revision: copy.revision, name: copy.name, source: SOURCE_ID });
    return { id: copy.id, name: copy.name, updatedAt: copy.updatedAt, revision: copy.revision, nodeCount: copy.file.graph.nodes.length };
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
