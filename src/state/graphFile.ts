/**
 * Graph-file functions from the engine (serialize, parse with located errors, validate),
 * wired to the editor's registry in one place.
 *
 * The one restore path: every graph that enters the editor — an imported file, a stored
 * graph, a clipboard fragment, a template — is a graph-file document read by the engine's
 * parseGraphDocument: format and version check → migrations → schema → node params migrated
 * and completed with their defaults → unknown types kept as placeholders.
 */
import type { Graph } from '../engine/graph';
import type * as GraphFileModule from '../engine/graph-file';
import type { ParsedGraphFile } from '../engine/graph-file';
import type { NodeRegistry } from '../engine/registry';
import { validateGraph, type Problem } from '../engine/validate';
import { createCatalog } from '../catalog';
import { errorMessage } from '../engine/errors';

export type EngineProblem = Problem;

let registry: NodeRegistry | null = null;
export function editorRegistry(): NodeRegistry {
  registry ??= createCatalog();
  return registry;
}

type GraphFileCode = typeof GraphFileModule;
let graphFileCode: Promise<GraphFileCode> | null = null;

/**
 * The graph-file reader and writer (zod schemas, migrations, canonical JSON) load on first
 * use: they are not needed to paint the editor. The session starts loading them at once,
 * alongside storage, so opening the first graph does not wait for them.
 */
export function loadGraphFileCode(): Promise<GraphFileCode> {
  graphFileCode ??= import('../engine/graph-file').catch((error: unknown) => {
    graphFileCode = null; // a failed chunk load is tried again on the next use
    throw error;
  });
  return graphFileCode;
}

export async function serializeGraph(graph: Graph): Promise<string> {
  return (await loadGraphFileCode()).serializeGraph(graph, editorRegistry());
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
  return [errorMessage(error)];
}

export async function parseGraphText(text: string): Promise<ParsedGraphFile> {
  return (await loadGraphFileCode()).parseGraphFile(text, editorRegistry());
}

/** A graph-file document already parsed from JSON (a stored graph, a clipboard fragment). Rejects with GraphFileError. */
export async function restoreGraph(doc: unknown, registry: NodeRegistry = editorRegistry()): Promise<ParsedGraphFile> {
  return (await loadGraphFileCode()).parseGraphDocument(doc, registry);
}

export async function validate(graph: Graph): Promise<EngineProblem[]> {
  return validateGraph(graph, editorRegistry());
}
