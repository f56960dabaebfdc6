/** Typed events from an executing run (worker → UI, or → CLI progress lines). */
import type { NodeSummary, ProgressUpdate } from './node';

export type NodeStatus = 'idle' | 'queued' | 'running' | 'cached' | 'done' | 'error' | 'cancelled' | 'skipped';

export type RunEvent =
  | { type: 'run-start'; runId: string; nodeIds: string[]; at: number }
  | { type: 'node-queued'; runId: string; nodeId: string }
  | { type: 'node-start'; runId: string; nodeId: string; at: number }
  | ({ type: 'node-progress'; runId: string; nodeId: string } & ProgressUpdate)
  | { type: 'node-cached'; runId: string; nodeId: string; summary?: NodeSummary }
  | { type: 'node-done'; runId: string; nodeId: string; ms: number; summary?: NodeSummary }
  | { type: 'node-error'; runId: string; nodeId: string; message: string }
  /**
   * A node not run because an upstream node failed, the run was cancelled, or it is disabled
   * or downstream of a disabled node (`message` then says which, e.g. "not run: Scale is disabled").
   */
  | { type: 'node-skipped'; runId: string; nodeId: string; reason: 'upstream-error' | 'cancelled' | 'disabled'; message?: string }
  | { type: 'node-cancelled'; runId: string; nodeId: string }
  | { type: 'run-done'; runId: string; ok: boolean; cancelled: boolean; ms: number };

export type RunEventListener = (event: RunEvent) => void;
