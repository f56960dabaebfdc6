/** Test helpers for data/prep/features nodes: run one node directly, read the bundled samples. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseData } from '../../data/parse';
import type { Table } from '../../data/types';
import type { AnyNodeDefinition, NodeSummary, ProgressUpdate } from '../../engine/node';
import { defaultParams } from '../../engine/params';
import type { NodeServices } from '../../engine/services';

export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));

/** readFile like the CLI's: paths relative to public/. */
export function fileServices(extra: Partial<NodeServices> = {}): NodeServices {
  return {
    backend: 'cpu',
    readFile: async (path: string) => {
      try {
        return new Uint8Array(await readFile(new URL(path, `file://${PUBLIC_DIR}`)));
      } catch {
        throw new Error(`Cannot read "${path}"`);
      }
    },
    ...extra,
  };
}

export interface NodeRunResult {
  outputs: Record<string, unknown>;
  summary?: NodeSummary;
  progress: ProgressUpdate[];
}

export async function runNode(
  def: AnyNodeDefinition,
  options: { inputs?: Record<string, unknown>; params?: Record<string, unknown>; services?: NodeServices; seed?: number; signal?: AbortSignal } = {},
): Promise<NodeRunResult> {
  const params = { ...defaultParams(def.params), ...options.params };
  const problems = def.check?.(params as never);
  if (problems && Object.keys(problems).length > 0) throw new Error(`check: ${Object.values(problems).join('; ')}`);
  const progress: ProgressUpdate[] = [];
  const outputs = await def.run({
    nodeId: 'node-1',
    runId: 'run-1',
    inputs: (options.inputs ?? {}) as never,
    params: params as never,
    signal: options.signal ?? new AbortController().signal,
    progress: (update) => progress.push(update),
    services: options.services ?? fileServices(),
    seed: options.seed ?? 42,
  });
  return { outputs, summary: def.summarize?.(outputs, params as never), progress };
}

/** A bundled sample parsed as a table (as data.sample would output). */
export async function sampleTable(file: string): Promise<Table> {
  const bytes = new Uint8Array(await readFile(new URL(`samples/${file}`, `file://${PUBLIC_DIR}`)));
  return (await parseData(bytes, 'auto', file)).table;
}
