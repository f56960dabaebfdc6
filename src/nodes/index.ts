/**
 * Node implementations (run, cacheSalt, summarize) registered against the catalog's specs.
 * Imported only where nodes execute (engine worker, CLI, tests): the editor reads
 * src/catalog and never loads this module (it reaches tfjs, src/ml and src/serving).
 */
import { ALL_SPECS } from '../catalog';
import type { AnyNodeDefinition } from '../engine/node';
import { NodeRegistry, type ImplementedRegistry } from '../engine/registry';
import { dataNodes } from './data';
import { deployNodes } from './deploy';
import { evaluateNodes } from './evaluate';
import { featuresNodes } from './features';
import { modelNodes } from './model';
import { monitorNodes } from './monitor';
import { prepNodes } from './prep';
import { trainNodes } from './train';
import { tuneNodes } from './tune';

export const ALL_NODES: AnyNodeDefinition[] = [
  ...dataNodes,
  ...prepNodes,
  ...featuresNodes,
  ...modelNodes,
  ...trainNodes,
  ...evaluateNodes,
  ...tuneNodes,
  ...deployNodes,
  ...monitorNodes,
];

/** Every spec of the catalog with its implementation; throws when a spec has none (or an implementation has no spec). */
export function createRegistry(): ImplementedRegistry {
  const implemented = new Set(ALL_NODES.map((def) => def.type));
  const missing = ALL_SPECS.filter((spec) => !implemented.has(spec.type)).map((spec) => spec.type);
  if (missing.length > 0) throw new Error(`No implementation for node type(s) ${missing.join(', ')}`);
  const specified = new Set(ALL_SPECS.map((spec) => spec.type));
  const extra = ALL_NODES.filter((def) => !specified.has(def.type)).map((def) => def.type);
  if (extra.length > 0) throw new Error(`Node type(s) ${extra.join(', ')} are implemented but not in the catalog (src/catalog/index.ts)`);
  return new NodeRegistry(ALL_NODES);
}
