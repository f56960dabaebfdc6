/**
 * The graph file, version 1, as a zod schema: what `parseGraphFile` accepts and what the
 * committed JSON Schema (schema/graph-file.v1.schema.json) is generated from.
 */
import { GRAPH_FILE_FORMAT, GRAPH_FILE_VERSION } from './graph-file-format';
import { z } from './zod';

export { GRAPH_FILE_FORMAT, GRAPH_FILE_VERSION };

const id = z.string().check(z.minLength(1, 'expected a non-empty id'));
const paramsObject = z.record(z.string(), z.unknown(), { error: 'expected object' });
const seed = z.int().check(z.minimum(0), z.maximum(0xffffffff));

export const portRefSchema = z.object({
  node: id.check(z.describe('Node id')),
  port: z.string().check(z.minLength(1, 'expected a port name'), z.describe('Port name on that node')),
});

export const fileNodeSchema = z.object({
  id: id.check(z.describe('Stable node id, unique in the graph')),
  type: z.string().check(z.minLength(1, 'expected a node type'), z.describe('Node type id, stage.name')),
  version: z.optional(z.int().check(z.minimum(1))).check(z.describe('Version of the node type its params were written for')),
  params: paramsObject.check(z.describe('Named params (never positional)')),
  label: z.optional(z.string()).check(z.describe('User label shown instead of the type title')),
  disabled: z.optional(z.literal(true)).check(z.describe('Disabled: the node and everything downstream of it do not run (absent: enabled)')),
});

export const fileEdgeSchema = z.object({
  id: id.check(z.describe('Stable edge id, unique in the graph')),
  from: portRefSchema.check(z.describe('Output port')),
  to: portRefSchema.check(z.describe('Input port')),
});

export const fileGraphSchema = z.object({
  id: id.check(z.describe('Graph id')),
  name: z.string(),
  seed: seed.check(z.describe('Seed for every random choice in a run (unsigned 32-bit)')),
  nodes: z.array(fileNodeSchema),
  edges: z.array(fileEdgeSchema),
});

const point = z.object({ x: z.number(), y: z.number() });

export const layoutSchema = z
  .object({
    positions: z.record(z.string(), point).check(z.describe('Canvas position per node id')),
    viewport: z.optional(z.object({ x: z.number(), y: z.number(), zoom: z.number().check(z.positive()) })),
  })
  .check(z.describe('Layout: never part of what executes, so moving a node never invalidates a result'));

export const graphFileSchema = z
  .object({
    format: z.literal(GRAPH_FILE_FORMAT),
    version: z.literal(GRAPH_FILE_VERSION),
    graph: fileGraphSchema,
    layout: z.optional(layoutSchema),
  })
  .check(z.describe('Pipeline Studio graph file, version 1'));

export type GraphFileV1 = z.infer<typeof graphFileSchema>;

/**
 * Version 0: the early format, kept readable by migration. Positions sat on the nodes and
 * links were positional arrays [fromNode, fromPort, toNode, toPort]; no ids for the graph
 * or links, no seed, no per-node version.
 */
export const graphFileV0Schema = z.object({
  kind: z.literal('pipeline-studio'),
  name: z.optional(z.string()),
  seed: z.optional(seed),
  nodes: z.array(
    z.object({
      id,
      type: z.string().check(z.minLength(1, 'expected a node type')),
      params: z.optional(paramsObject),
      x: z.number(),
      y: z.number(),
    }),
  ),
  links: z.array(z.tuple([id, z.string().check(z.minLength(1)), id, z.string().check(z.minLength(1))])),
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
