/**
 * Graph-file functions from the engine (serialize, parse with located errors, validate),
 * loaded lazily through one module so the editor's wiring to them lives in one place.
 */
import type { Graph } from '../engine/graph';
import type { NodeRegistry } from '../engine/registry';
import { createRegistry } from '../nodes/index';

export interface EngineProblem {
  level: 'error' | 'warning';
  message: string;
  nodeId?: string;
  edgeId?: string;
  param?: string;
  port?: string;
}

interface GraphFileModule {
  serializeGraph(graph: Graph): string;
  parseGraphFile(text: string, registry: NodeRegistry): { graph: Graph; warnings: unknown[] };
  validateGraph(graph: Graph, registry: NodeRegistry): EngineProblem[];
}

const engineModules = import.meta.glob<GraphFileModule>('../engine/index.ts');

let modulePromise: Promise<GraphFileModule> | null = null;
function engineModule(): Promise<GraphFileModule> {
  modulePromise ??= (async () => {
    const load = engineModules['../engine/index.ts'];
    if (!load) throw new Error('The graph-file functions (src/engine/index.ts) are not part of this build');
    return load();
  })();
  return modulePromise;
}

let registry: NodeRegistry | null = null;
export function editorRegistry(): NodeRegistry {
  registry ??= createRegistry();
  return registry;
}

export async function serializeGraph(graph: Graph): Promise<string> {
  return (await engineModule()).serializeGraph(graph);
}

/** Words for any value a parser may report (string, {message, path}, Error). */
export function describeIssue(issue: unknown): string {
  if (typeof issue === 'string') return issue;
  if (issue && typeof issue === 'object') {
    const { message, path, location, at } = issue as { message?: unknown; path?: unknown; location?: unknown; at?: unknown };
    const where = [path, location, at].find((v) => v !== undefined && v !== '');
    const place = Array.isArray(where) ? where.join('.') : where;
    if (typeof message === 'string') return place ? `${String(place)}: ${message}` : message;
  }
  return String(issue);
}

/** The located messages of a parse failure (GraphFileError carries a list; others a message). */
export function issuesOf(error: unknown): string[] {
  if (error && typeof error === 'object') {
    for (const key of ['issues', 'problems', 'messages', 'errors'] as const) {
      const list = (error as Record<string, unknown>)[key];
      if (Array.isArray(list) && list.length) return list.map(describeIssue);
    }
  }
  return [error instanceof Error ? error.message : String(error)];
}

export async function parseGraphText(text: string): Promise<{ graph: Graph; warnings: string[] }> {
  const { graph, warnings } = (await engineModule()).parseGraphFile(text, editorRegistry());
  return { graph, warnings: (warnings ?? []).map(describeIssue) };
}

export async function validate(graph: Graph): Promise<EngineProblem[]> {
  return (await engineModule()).validateGraph(graph, editorRegistry());
}
