/**
 * The graph file: export and import of a graph as one JSON text (the graph file).
 *
 * Export is deterministic (sorted keys, 2-space indent, trailing newline, nodes and edges
 * ordered by id) so the same graph always gives the same bytes and files diff in git.
 * Import validates with zod and reports located messages (`graph.nodes[3].params: expected
 * object`), migrates older file versions step by step, migrates per-node-type params, and
 * keeps node types it does not know as placeholders that export unchanged.
 */
import { configure } from 'safe-stable-stringify';
import type { z } from './zod';
import type { Graph, GraphEdge, GraphNode } from './graph';
import {
  GRAPH_FILE_FORMAT,
  GRAPH_FILE_VERSION,
  graphFileSchema,
  graphFileV0Schema,
  type GraphFileV1,
} from './graph-file-schema';
import { canonicalHash } from './hash';
import { findJsonSyntaxError } from './json-syntax';
import { errorMessage } from './errors';
import { compareIds } from './order';
import type { AnyNodeSpec } from './node';
import type { NodeRegistry } from './registry';

export { GRAPH_FILE_FORMAT, GRAPH_FILE_VERSION } from './graph-file-schema';

const stableStringify = configure({ deterministic: true, circularValue: Error, bigint: false });

export interface GraphFileIssue {
  /** Where in the document, e.g. `graph.nodes[3].params`; '' for the document itself. */
  path: string;
  /** Says what is wrong; for JSON syntax errors it names the line and column itself. */
  message: string;
  line?: number;
  column?: number;
}

/** A graph file that cannot be imported; `issues` lists every located problem. */
export class GraphFileError extends Error {
  readonly issues: GraphFileIssue[];

  constructor(issues: GraphFileIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'GraphFileError';
    this.issues = issues;
  }
}

function formatIssue(issue: GraphFileIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export interface ParsedGraphFile {
  graph: Graph;
  /** Things repaired or kept on import (placeholders, migrations, dropped dangling edges). */
  warnings: string[];
}

/** `['graph', 'nodes', 3, 'params']` → `graph.nodes[3].params`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function parseWith<T>(schema: z.ZodMiniType<T>, doc: unknown, prefix: PropertyKey[] = []): T {
  const result = schema.safeParse(doc);
  if (result.success) return result.data;
  throw new GraphFileError(
    result.error.issues.map((issue) => ({
      path: formatPath([...prefix, ...issue.path]),
      message: issue.message.replace(/^Invalid input: /, ''),
    })),
  );
}

/**
 * File migrations, keyed by the version they upgrade from: `graphFileMigrations[n]` turns a
 * version-n document into a version n+1 one. Applied one step at a time.
 */
export const graphFileMigrations: Record<number, (doc: unknown) => unknown> = {
  0: (doc) => {
    const v0 = parseWith(graphFileV0Schema, doc);
    const edgeIds = new Set<string>();
    return {
      format: GRAPH_FILE_FORMAT,
      version: 1,
      graph: {
        // v0 had no graph id: derive one from the content, so re-importing gives the same id.
        id: `g-${canonicalHash(v0).slice(0, 12)}`,
        name: v0.name ?? 'Untitled',
        seed: v0.seed ?? 0,
        // v0 predates per-node versions; every node type was at version 1 then.
        nodes: v0.nodes.map((n) => ({ id: n.id, type: n.type, version: 1, params: n.params ?? {} })),
        edges: v0.links.map(([fromNode, fromPort, toNode, toPort]) => {
          const base = `${fromNode}.${fromPort}->${toNode}.${toPort}`;
          let edgeId = base;
          for (let k = 2; edgeIds.has(edgeId); k++) edgeId = `${base}#${k}`;
          edgeIds.add(edgeId);
          return { id: edgeId, from: { node: fromNode, port: fromPort }, to: { node: toNode, port: toPort } };
        }),
      },
      layout: { positions: Object.fromEntries(v0.nodes.map((n) => [n.id, { x: n.x, y: n.y }])) },
    };
  },
};

function withDefaults(def: AnyNodeSpec, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const [name, spec] of Object.entries(def.params)) if (!(name in out)) out[name] = structuredClone(spec.default);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which file version a parsed document is; throws for documents that are not graph files or are too new. */
function fileVersionOf(doc: unknown): number {
  if (!isPlainObject(doc)) throw new GraphFileError([{ path: '', message: 'expected a JSON object (a Pipeline Studio graph file)' }]);
  if (doc.format === undefined) {
    if (doc.kind === 'pipeline-studio') return 0;
    throw new GraphFileError([{ path: 'format', message: `missing: not a Pipeline Studio graph file (expected "format": "${GRAPH_FILE_FORMAT}")` }]);
  }
  if (doc.format !== GRAPH_FILE_FORMAT) {
    throw new GraphFileError([{ path: 'format', message: `expected "${GRAPH_FILE_FORMAT}", found ${JSON.stringify(doc.format)}` }]);
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new GraphFileError([{ path: 'version', message: `expected a whole number, found ${JSON.stringify(version) ?? 'nothing'}` }]);
  }
  if (version > GRAPH_FILE_VERSION) {
    throw new GraphFileError([
      {
        path: 'version',
        message: `this file is version ${version}, newer than this app reads (${GRAPH_FILE_VERSION}); update Pipeline Studio to open it`,
      },
    ]);
  }
  return version;
}

/** Brings any supported version up to the current one, one step at a time. */
export function migrateGraphDocument(doc: unknown): GraphFileV1 {
  let version = fileVersionOf(doc);
  let current = doc;
  while (version < GRAPH_FILE_VERSION) {
    const step = graphFileMigrations[version];
    if (!step) throw new GraphFileError([{ path: 'version', message: `no migration from version ${version}` }]);
    current = step(current);
    version++;
  }
  return parseWith(graphFileSchema, current);
}

/** Parses graph file text. Throws GraphFileError with located messages. */
export function parseGraphFile(text: string, registry?: NodeRegistry): ParsedGraphFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const located = findJsonSyntaxError(body);
    throw new GraphFileError([
      located
        ? {
            path: '',
            line: located.line,
            column: located.column,
            message: `not valid JSON at line ${located.line}, column ${located.column}: ${located.message}`,
          }
        : { path: '', message: `not valid JSON: ${errorMessage(error)}` },
    ]);
  }
  return parseGraphDocument(doc, registry);
}

/** Like parseGraphFile, for a document already parsed from JSON. */
export function parseGraphDocument(doc: unknown, registry?: NodeRegistry): ParsedGraphFile {
  const file = migrateGraphDocument(doc);
  const warnings: string[] = [];
  const issues: GraphFileIssue[] = [];

  const nodeIndex = new Map<string, number>();
  file.graph.nodes.forEach((n, i) => {
    const first = nodeIndex.get(n.id);
    if (first !== undefined) issues.push({ path: `graph.nodes[${i}].id`, message: `duplicate node id "${n.id}" (also graph.nodes[${first}])` });
    else nodeIndex.set(n.id, i);
  });
  const edgeIndex = new Map<string, number>();
  file.graph.edges.forEach((e, i) => {
    const first = edgeIndex.get(e.id);
    if (first !== undefined) issues.push({ path: `graph.edges[${i}].id`, message: `duplicate edge id "${e.id}" (also graph.edges[${first}])` });
    else edgeIndex.set(e.id, i);
  });
  if (issues.length > 0) throw new GraphFileError(issues);

  const positions = file.layout?.positions ?? {};
  for (const nodeId of Object.keys(positions)) {
    if (!nodeIndex.has(nodeId)) warnings.push(`${formatPath(['layout', 'positions', nodeId])}: no node "${nodeId}"; position ignored`);
  }

  const nodes: GraphNode[] = file.graph.nodes.map((fileNode, i) => {
    const node: GraphNode = {
      id: fileNode.id,
      type: fileNode.type,
      params: fileNode.params,
      position: Object.hasOwn(positions, fileNode.id) ? { ...positions[fileNode.id] } : { x: 0, y: 0 },
    };
    if (fileNode.label !== undefined) node.label = fileNode.label;
    if (fileNode.disabled) node.disabled = true;
    if (fileNode.version !== undefined) node.version = fileNode.version;
    if (!registry) return node;

    const where = `graph.nodes[${i}]`;
    const def = registry.get(fileNode.type);
    if (!def) {
      const reason = `Unknown node type "${fileNode.type}"`;
      node.placeholder = { originalType: fileNode.type, reason, ...(fileNode.version !== undefined ? { originalVersion: fileNode.version } : {}) };
      warnings.push(`${where}: ${reason}; kept as a placeholder (its params are kept as they are)`);
      return node;
    }
    const version = fileNode.version;
    if (version !== undefined && version > def.version) {
      warnings.push(`${where}: saved by a newer version (v${version}) of "${def.type}" than this app knows (v${def.version})`);
    } else if (version !== undefined && version < def.version && def.migrate) {
      try {
        node.params = def.migrate(structuredClone(fileNode.params), version);
        node.version = def.version;
        warnings.push(`${where}: params of "${def.type}" migrated from v${version} to v${def.version}`);
      } catch (error) {
        const reason = `Could not migrate params of "${def.type}" from v${version}: ${errorMessage(error)}`;
        node.placeholder = { originalType: fileNode.type, originalVersion: version, reason };
        warnings.push(`${where}: ${reason}; kept as a placeholder`);
        return node;
      }
    }
    // A param the file leaves out (optional in the file, or added to the type later) gets its
    // default, so everything that reads the node (inspector, checks, cache key) sees all of them.
    if (version === undefined || version <= def.version) node.params = withDefaults(def, node.params);
    return node;
  });

  const edges: GraphEdge[] = [];
  file.graph.edges.forEach((e, i) => {
    const missing = [e.from.node, e.to.node].filter((nodeId) => !nodeIndex.has(nodeId));
    if (missing.length > 0) {
      warnings.push(`graph.edges[${i}]: edge "${e.id}" refers to missing node ${missing.map((m) => `"${m}"`).join(' and ')}; dropped`);
      return;
    }
    edges.push({ id: e.id, from: { ...e.from }, to: { ...e.to } });
  });

  const graph: Graph = { id: file.graph.id, name: file.graph.name, seed: file.graph.seed, nodes, edges };
  if (file.layout?.viewport) graph.viewport = { ...file.layout.viewport };
  return { graph, warnings };
}

/**
 * The graph as graph-file text. Deterministic: the same graph (whatever the order of its
 * node and edge arrays) always gives the same bytes. Placeholders export with their
 * original type, version and params. With a registry, a node without a version is written
 * with its type's current version (the version its params were made for).
 */
export function serializeGraph(graph: Graph, registry?: NodeRegistry): string {
  return `${stableStringify(graphFileDocument(graph, registry), null, 2)}\n`;
}

/**
 * The graph as a graph-file document (what `serializeGraph` writes, before it becomes text).
 * Nodes and edges are ordered by id, unless `keepOrder` (storage keeps the editor's order,
 * which is also the canvas's stacking order).
 */
export function graphFileDocument(graph: Graph, registry?: NodeRegistry, options: { keepOrder?: boolean } = {}): GraphFileV1 {
  const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);
  const ordered = <T extends { id: string }>(items: readonly T[]): T[] => (options.keepOrder ? [...items] : [...items].sort(byId));
  const nodes = ordered(graph.nodes);
  // A non-finite coordinate would write null and make the file unreadable: put it at 0.
  const coordinate = (value: number | undefined) => (Number.isFinite(value) ? (value as number) : 0);
  // fromEntries defines own keys, so even an id like "__proto__" is written as a key.
  const positions: Record<string, { x: number; y: number }> = Object.fromEntries(
    nodes.map((node) => [node.id, { x: coordinate(node.position?.x), y: coordinate(node.position?.y) }]),
  );
  const doc: GraphFileV1 = {
    format: GRAPH_FILE_FORMAT,
    version: GRAPH_FILE_VERSION,
    graph: {
      id: graph.id,
      name: graph.name,
      seed: graph.seed,
      nodes: nodes.map((node) => {
        const version = node.placeholder
          ? (node.placeholder.originalVersion ?? node.version)
          : (node.version ?? registry?.get(node.type)?.version);
        return {
          id: node.id,
          type: node.placeholder?.originalType ?? node.type,
          ...(version !== undefined ? { version } : {}),
          params: structuredClone(node.params),
          ...(node.label !== undefined ? { label: node.label } : {}),
          ...(node.disabled ? { disabled: true as const } : {}),
        };
      }),
      edges: ordered(graph.edges).map((e) => ({
        id: e.id,
        from: { node: e.from.node, port: e.from.port },
        to: { node: e.to.node, port: e.to.port },
      })),
    },
    layout: { positions, ...(graph.viewport ? { viewport: { ...graph.viewport } } : {}) },
  };
  return doc;
}
