/**
 * The graph file, version 1, as a zod schema: what `parseGraphFile` accepts and what the
 * committed JSON Schema (schema/graph-file.v1.schema.json) is generated from.
 */
import { z } from 'zod';

export const GRAPH_FILE_FORMAT = 'pipeline-studio.graph';
export const GRAPH_FILE_VERSION = 1;

const id = z.string().min(1, 'expected a non-empty id');
const paramsObject = z.record(z.string(), z.unknown(), { error: 'expected object' });

export const portRefSchema = z.object({
  node: id.describe('Node id'),
  port: z.string().min(1, 'expected a port name').describe('Port name on that node'),
});

export const fileNodeSchema = z.object({
  id: id.describe('Stable node id, unique in the graph'),
  type: z.string().min(1, 'expected a node type').describe('Node type id, stage.name'),
  version: z.int().min(1).optional().describe('Version of the node type its params were written for'),
  params: paramsObject.describe('Named params (never positional)'),
  label: z.string().optional().describe('User label shown instead of the type title'),
  disabled: z.literal(true).optional().describe('Disabled: the node and everything downstream of it do not run (absent: enabled)'),
});

export const fileEdgeSchema = z.object({
  id: id.describe('Stable edge id, unique in the graph'),
  from: portRefSchema.describe('Output port'),
  to: portRefSchema.describe('Input port'),
});

export const fileGraphSchema = z.object({
  id: id.describe('Graph id'),
  name: z.string(),
  seed: z.int().min(0).max(0xffffffff).describe('Seed for every random choice in a run (unsigned 32-bit)'),
  nodes: z.array(fileNodeSchema),
  edges: z.array(fileEdgeSchema),
});

const point = z.object({ x: z.number(), y: z.number() });

export const layoutSchema = z
  .object({
    positions: z.record(z.string(), point).describe('Canvas position per node id'),
    viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number().positive() }).optional(),
  })
  .describe('Layout: never part of what executes, so moving a node never invalidates a result');

export const graphFileSchema = z
  .object({
    format: z.literal(GRAPH_FILE_FORMAT),
    version: z.literal(GRAPH_FILE_VERSION),
    graph: fileGraphSchema,
    layout: layoutSchema.optional(),
  })
  .describe('Pipeline Studio graph file, version 1');

export type GraphFileV1 = z.infer<typeof graphFileSchema>;

/**
 * Version 0: the early format, kept readable by migration. Positions sat on the nodes and
 * links were positional arrays [fromNode, fromPort, toNode, toPort]; no ids for the graph
 * or links, no seed, no per-node version.
 */
export const graphFileV0Schema = z.object({
  kind: z.literal('pipeline-studio'),
  name: z.string().optional(),
  seed: z.int().min(0).max(0xffffffff).optional(),
  nodes: z.array(
    z.object({
      id,
      type: z.string().min(1, 'expected a node type'),
      params: paramsObject.optional(),
      x: z.number(),
      y: z.number(),
    }),
  ),
  links: z.array(z.tuple([id, z.string().min(1), id, z.string().min(1)])),
});

export type GraphFileV0 = z.infer<typeof graphFileV0Schema>;

/** The JSON Schema text committed as schema/graph-file.v1.schema.json. */
export function graphFileJsonSchemaText(): string {
  const schema = {
    ...z.toJSONSchema(graphFileSchema, { io: 'input' }),
    title: 'Pipeline Studio graph file v1',
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
