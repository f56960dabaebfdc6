/** The engine's public surface: what the worker, the CLI and the UI import. */
export * from './ports';
export * from './params';
export * from './node';
export * from './graph';
export * from './events';
export * from './services';
export { NodeRegistry } from './registry';
export { validateGraph, describeNode, type Problem, type ValidateOptions } from './validate';
export { planRun, findCycles, type PlanOptions, type RunPlan } from './plan';
export { Executor, type ExecuteOptions, type ExecuteResult, type NodeResult, type NodeFreshness } from './executor';
export { resolveNodeParams, type ResolvedParams } from './node-params';
export { canonicalHash, canonicalJson, deriveNodeSeed } from './hash';
export { compareIds } from './order';
export {
  serializeGraph,
  parseGraphFile,
  parseGraphDocument,
  migrateGraphDocument,
  graphFileMigrations,
  GraphFileError,
  GRAPH_FILE_FORMAT,
  GRAPH_FILE_VERSION,
  type GraphFileIssue,
  type ParsedGraphFile,
} from './graph-file';
export { graphFileSchema, graphFileJsonSchemaText, type GraphFileV1 } from './graph-file-schema';
export { findJsonSyntaxError } from './json-syntax';
