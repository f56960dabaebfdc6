/**
 * The node catalogue: every registered node type. Safe to import on the main thread
 * (node files reach tfjs only through ./tf at run time).
 */
import { NodeRegistry } from '../engine/registry';
import type { AnyNodeDefinition } from '../engine/node';
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

export function createRegistry(): NodeRegistry {
  return new NodeRegistry(ALL_NODES);
}
