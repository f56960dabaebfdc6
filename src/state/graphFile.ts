/**
 * Graph-file functions from the engine (serialize, parse with located errors, validate),
 * wired to the editor's registry in one place.
 */
import type { Graph } from '../engine/graph';
import { parseGraphFile, serializeGraph as serialize, validateGraph, type Problem } from '../engine/index';
import type { NodeRegistry } from '../engine/registry';
import { createRegistry } from '../nodes/index';

export type EngineProblem = Problem;

let registry: NodeRegistry | null = null;
export function editorRegistry(): NodeRegistry {
  registry ??= createRegistry();
  return registry;
}

export async function serializeGraph(graph: Graph): Promise<string> {
  return serialize(graph, editorRegistry());
}

/** Words for any value a parser may report (string, {message, path}, Error). */
export function describeIssue(issue: unknown): string {
  if (typeof issue === 'string') return issue;
  if (issue && typeof issue === 'object') {
    const { message, path } = issue as { message?: unknown; path?: unknown };
    const place = Array.isArray(path) ? path.join('.') : path;
    if (typeof message === 'string') return place ? `${String(place)}: ${message}` : message;
  }
  return String(issue);
}

/** The located messages of a parse failure (GraphFileError carries `issues`; others a message). */
export function issuesOf(error: unknown): string[] {
  const issues = error && typeof error === 'object' ? (error as { issues?: unknown }).issues : undefined;
  if (Array.isArray(issues) && issues.length) return issues.map(describeIssue);
  return [error instanceof Error ? error.message : String(error)];
}

export async function parseGraphText(text: string): Promise<{ graph: Graph; warnings: string[] }> {
  const { graph, warnings } = parseGraphFile(text, editorRegistry());
  return { graph, warnings };
}

export async function validate(graph: Graph): Promise<EngineProblem[]> {
  return validateGraph(graph, editorRegistry());
}
