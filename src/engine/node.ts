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

type PortSpecs = Record<string, PortSpec>;

/**
 * What a node type is, as data: the editor, the inspector, validation, the graph file and
 * the cache key read only this. Specs live in src/catalog and import no tfjs, ml or serving
 * code, so the main-thread bundle holds titles, ports and params and nothing that runs.
 * (Functions here are methods, so a typed spec is assignable to `AnyNodeSpec` without a cast.)
 */
export interface NodeSpec<In extends PortSpecs = PortSpecs, Out extends PortSpecs = PortSpecs, P extends ParamSpecs = ParamSpecs> {
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
  migrate?(params: Record<string, unknown>, fromVersion: number): Record<string, unknown>;
  /** Cross-param checks beyond each param's own spec; return messages keyed by param name. */
  check?(params: ParamValues<P>): Record<string, string> | null;
}

/** What runs: registered against its spec only where nodes execute (engine worker, CLI, tests). */
export interface NodeImplementation<In extends PortSpecs = PortSpecs, Out extends PortSpecs = PortSpecs, P extends ParamSpecs = ParamSpecs> {
  /**
   * Extra cache-key input for nodes whose output depends on something outside params and
   * inputs (a file's bytes behind an unchanged path). Awaited by the executor before it
   * computes the key; a different string means a different key, so the node and everything
   * downstream re-run. Throwing fails the node with that message. Return undefined for "no salt".
   */
  cacheSalt?(params: ParamValues<P>, services: NodeServices, signal: AbortSignal): Promise<string | undefined>;
  run(ctx: NodeContext<In, P>): Promise<PortValues<Out>>;
  /** The one-line summary on the node; computed where the node ran (worker, CLI), sent as text. */
  summarize?(outputs: PortValues<Out>, params: ParamValues<P>): NodeSummary;
}

/** A spec with its implementation: what the executor runs. */
export interface NodeDefinition<In extends PortSpecs = PortSpecs, Out extends PortSpecs = PortSpecs, P extends ParamSpecs = ParamSpecs>
  extends NodeSpec<In, Out, P>,
    NodeImplementation<In, Out, P> {}

export type AnyNodeSpec = NodeSpec;
export type AnyNodeDefinition = NodeDefinition;

/** Declares a node type's spec (data only); `implement` adds what runs. */
export function defineSpec<In extends PortSpecs, Out extends PortSpecs, P extends ParamSpecs>(spec: NodeSpec<In, Out, P>): NodeSpec<In, Out, P> {
  if (!/^[a-z]+\.[a-z][a-zA-Z0-9-]*$/.test(spec.type)) {
    throw new Error(`Node type "${spec.type}" must look like stage.name`);
  }
  if (!spec.type.startsWith(`${spec.stage}.`)) {
    throw new Error(`Node type "${spec.type}" must start with its stage "${spec.stage}."`);
  }
  return spec;
}

/** A spec's implementation: `run` sees the spec's typed inputs and params. */
export function implement<In extends PortSpecs, Out extends PortSpecs, P extends ParamSpecs>(
  spec: NodeSpec<In, Out, P>,
  implementation: NodeImplementation<In, Out, P>,
): NodeDefinition<In, Out, P> {
  return { ...spec, ...implementation };
}

/** Spec and implementation in one, typed while written and returned as a plain definition (test node types). */
export function defineNode<In extends PortSpecs, Out extends PortSpecs, P extends ParamSpecs>(def: NodeDefinition<In, Out, P>): AnyNodeDefinition {
  defineSpec(def);
  return def;
}
