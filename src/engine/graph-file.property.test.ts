import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Graph, GraphEdge, GraphNode } from './graph';
import { parseGraphFile, serializeGraph } from './graph-file';
import type { AnyNodeDefinition } from './node';
import type { ParamSpec } from './params';
import { createTestRegistry } from './testing/test-nodes';
import { validateGraph } from './validate';

const registry = createTestRegistry();
// Deterministic types with plain params: every generated graph must also validate cleanly.
const types = ['util.constant', 'util.add', 'util.scale', 'util.label', 'util.rows', 'util.countRows', 'util.seed'].map(
  (type) => registry.get(type)!,
);

/** A value within the spec: what the inspector could have produced. */
function paramValue(spec: ParamSpec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'number':
      return fc.double({ min: spec.min ?? -1e9, max: spec.max ?? 1e9, noNaN: true });
    case 'int':
      return fc.integer({ min: spec.min ?? -1e6, max: spec.max ?? 1e6 });
    case 'select':
      return fc.constantFrom(...spec.options);
    case 'boolean':
      return fc.boolean();
    case 'text':
      return spec.pattern === '[a-z]*' ? fc.stringMatching(/^[a-z]*$/) : fc.string();
    case 'column':
      return fc.string();
    case 'columns':
      return fc.array(fc.string(), { maxLength: 4 });
    case 'list':
      return fc.array(fc.integer({ min: spec.itemMin ?? -100, max: spec.itemMax ?? 100 }), { maxLength: spec.maxItems ?? 6 });
    case 'json':
      return fc.jsonValue();
  }
}

function paramsFor(def: AnyNodeDefinition): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(def.params).map(([name, spec]) => [name, paramValue(spec)] as const);
  return fc.record(Object.fromEntries(entries));
}

/** Random DAGs: node i may only take inputs from nodes before it, from outputs of the matching type. */
const graphArbitrary: fc.Arbitrary<Graph> = fc
  .uniqueArray(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,7}$/), { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc
      .tuple(
        ...ids.map((id) =>
          fc.constantFrom(...types).chain((def) =>
            fc.record({
              id: fc.constant(id),
              def: fc.constant(def),
              params: paramsFor(def),
              position: fc.record({ x: fc.double({ min: -5000, max: 5000, noNaN: true }), y: fc.integer({ min: -5000, max: 5000 }) }),
              label: fc.option(fc.string(), { nil: undefined }),
              pick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
            }),
          ),
        ),
      )
      .chain((drafts) =>
        fc.record({
          id: fc.string({ minLength: 1 }),
          name: fc.string(),
          seed: fc.nat({ max: 0xffffffff }),
          viewport: fc.option(fc.record({ x: fc.integer(), y: fc.integer(), zoom: fc.double({ min: 0.1, max: 4, noNaN: true }) }), { nil: undefined }),
        }).map((meta) => {
          const nodes: GraphNode[] = [];
          const edges: GraphEdge[] = [];
          const kept: typeof drafts = [];
          for (const draft of drafts) {
            const wiring: GraphEdge[] = [];
            let satisfiable = true;
            Object.entries(draft.def.inputs).forEach(([portName, spec], k) => {
              const sources = kept.flatMap((d) =>
                Object.entries(d.def.outputs)
                  .filter(([, out]) => out.type === spec.type)
                  .map(([out]) => ({ node: d.id, port: out })),
              );
              const choice = draft.pick[k];
              if (sources.length === 0) {
                satisfiable &&= spec.optional === true;
                return;
              }
              // Required inputs always get an edge; optional ones half the time.
              if (spec.optional && choice % 2 === 0) return;
              wiring.push({ id: `e-${draft.id}-${portName}`, from: sources[choice % sources.length], to: { node: draft.id, port: portName } });
            });
            // A node whose required input nothing upstream can feed is left out: the graph stays valid.
            if (!satisfiable) continue;
            kept.push(draft);
            const node: GraphNode = { id: draft.id, type: draft.def.type, version: draft.def.version, params: draft.params, position: draft.position };
            if (draft.label !== undefined) node.label = draft.label;
            nodes.push(node);
            edges.push(...wiring);
          }
          const g: Graph = { id: meta.id, name: meta.name, seed: meta.seed, nodes, edges };
          if (meta.viewport) g.viewport = meta.viewport;
          return g;
        }),
      ),
  );

describe('graph file property', () => {
  it('random valid graphs survive export → import → export unchanged', () => {
    fc.assert(
      fc.property(graphArbitrary, (g) => {
        const first = serializeGraph(g);
        const { graph: imported, warnings } = parseGraphFile(first, registry);
        expect(warnings).toEqual([]);
        expect(serializeGraph(imported)).toBe(first);
        // What executes is unchanged too: same nodes, params, edges, seed.
        expect(imported.nodes.length).toBe(g.nodes.length);
        expect(JSON.parse(JSON.stringify(imported.edges))).toEqual(expect.arrayContaining(JSON.parse(JSON.stringify(g.edges))));
        expect(imported.seed).toBe(g.seed);
      }),
      { numRuns: 200 },
    );
  });

  it('the generator makes graphs the validator accepts, so the property is about valid graphs', () => {
    fc.assert(
      fc.property(graphArbitrary, (g) => {
        expect(validateGraph(g, registry)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
