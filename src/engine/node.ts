/**
 * A node type is data plus one function: ports and params are declared as data so the
 * inspector, the graph file and the cache key all read the same declaration.
 */
import type { Dataset, EndpointRef, Metrics, ModelSpec, Table, TrainedModel } from '../data/types';
import type { ParamSpecs, ParamValues } from './params';
import type { PortSpec, PortType } from './ports';
import type { NodeServices } from './services';

export const STAGES = ['data', 'prep', 'features', 'model', 'train', 'evaluate', 'tune', 'deploy', 'monitor', 'util'] as const;
export type Stage = (typeof STAGES)[number];

/** What each port type carries at run time. */
export interface PortValueMap {
  table: Table;
  dataset: Dataset;
  'model-spec': ModelSpec;
  model: TrainedModel;
  metrics: Metrics;
  endpoint: EndpointRef;
}
export type PortValue<T extends PortType> = PortValueMap[T];

type PortValues<Ports extends Record<string, PortSpec>> = {
  [K in keyof Ports]: PortValueMap[Ports[K]['type']];
};

export interface ProgressUpdate {
  /** 0..1 when known. */
  fraction?: number;
  message?: string;
  /** Live numbers for charts (e.g. { epoch: 3, loss: 0.4, val_loss: 0.5 }). */
  metrics?: Record<string, number>;
}

export interface NodeContext<In extends Record<string, PortSpec>, P extends ParamSpecs> {
  nodeId: string;
  runId: string;
  inputs: PortValues<In>;
  params: ParamValues<P>;
  /** Aborted when the user cancels; check it between batches. */
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
  services: NodeServices;
  /** Seed for this node: stable across runs of the same graph (graph seed mixed with node id). */
  seed: number;
  graphId?: string;
}

/** A one-line summary shown on the node, plus headline numbers (metrics nodes). */
export interface NodeSummary {
  text: string;
  metrics?: Record<string, number>;
  /** Non-fatal problems with the result, each said in full (e.g. how a file was decoded). */
  warnings?: string[];
}

export interface NodeDefinition<
  In extends Record<string, PortSpec> = Record<string, PortSpec>,
  Out extends Record<string, PortSpec> = Record<string, PortSpec>,
  P extends ParamSpecs = ParamSpecs,
> {
  /** Stable id `stage.name`; never renamed (add a migration instead). */
  type: string;
  /** Bump with a params migration when params change shape. */
  version: number;
  title: string;
  stage: Stage;
  description?: string;
  inputs: In;
  outputs: Out;
  params: P;
  /** false for nodes whose output is not a function of inputs+params (unseeded shuffle…): never cached. */
  deterministic?: boolean;
  /** Upgrades params saved by an older `version` of this node type. */
  migrate?: (params: Record<string, unknown>, fromVersion: number) => Record<string, unknown>;
  /**
   * Extra cache-key input for nodes whose output depends on something outside params and
   * inputs (a file's bytes behind an unchanged path). Awaited by the executor before it
   * computes the key; a different string means a different key, so the node and everything
   * downstream re-run. Throwing fails the node with that message. Return undefined for "no salt".
   */
  cacheSalt?: (params: ParamValues<P>, services: NodeServices, signal: AbortSignal) => Promise<string | undefined>;
  /** Cross-param checks beyond each param's own spec; return messages keyed by param name. */
  check?: (params: ParamValues<P>) => Record<string, string> | null;
  run: (ctx: NodeContext<In, P>) => Promise<PortValues<Out>>;
  summarize?: (outputs: PortValues<Out>, params: ParamValues<P>) => NodeSummary;
}

/** The registry stores definitions with their generics erased. */
export type AnyNodeDefinition = NodeDefinition<Record<string, PortSpec>, Record<string, PortSpec>, ParamSpecs>;

export function defineNode<In extends Record<string, PortSpec>, Out extends Record<string, PortSpec>, P extends ParamSpecs>(
  def: NodeDefinition<In, Out, P>,
): AnyNodeDefinition {
  if (!/^[a-z]+\.[a-z][a-zA-Z0-9-]*$/.test(def.type)) {
    throw new Error(`Node type "${def.type}" must look like stage.name`);
  }
  if (!def.type.startsWith(`${def.stage}.`)) {
    throw new Error(`Node type "${def.type}" must start with its stage "${def.stage}."`);
  }
  return def as unknown as AnyNodeDefinition;
}
