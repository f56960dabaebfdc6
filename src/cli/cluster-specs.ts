/**
 * The published specs the compiled pipelines are checked against, vendored under vendor/:
 *   vendor/kfp/pipeline_spec.proto (+ google/rpc/status.proto), kubeflow/pipelines api/v2alpha1, Apache-2.0
 *   vendor/argo/schema.json, argoproj/argo-workflows api/jsonschema, Apache-2.0
 * KFP IR YAML is parsed as ProtoJSON against the real PipelineSpec message with unknown
 * fields rejected (protobufjs); the Argo Workflow is validated with ajv against Argo's JSON schema.
 * Used by the tests (compile.test.ts, run-compiled.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';

export const VENDOR_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../vendor');

let kfpRoot: Promise<protobuf.Root> | null = null;

/** The ml_pipelines package from the vendored pipeline_spec.proto (google/protobuf types from protobufjs). */
export function loadKfpProto(): Promise<protobuf.Root> {
  kfpRoot ??= (async () => {
    const root = new protobuf.Root();
    const base = join(VENDOR_DIR, 'kfp');
    // google/protobuf/*.proto are protobufjs's bundled well-known types; everything else is vendored.
    root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : resolve(base, target));
    await root.load(join(base, 'pipeline_spec.proto'));
    root.resolveAll();
    return root;
  })();
  return kfpRoot;
}

/**
 * Parses a KFP IR document (already read from YAML) as ProtoJSON against PipelineSpec, then its
 * deploymentSpec (a Struct in PipelineSpec) against PipelineDeploymentConfig. Throws on any
 * unknown field, wrong type or unknown enum name. Returns the decoded messages as plain objects.
 */
export async function parseKfpSpec(document: unknown): Promise<{ spec: Record<string, unknown>; deployment: Record<string, unknown> }> {
  const root = await loadKfpProto();
  const specType = root.lookupType('ml_pipelines.PipelineSpec');
  const deploymentType = root.lookupType('ml_pipelines.PipelineDeploymentConfig');
  const spec = protojson.fromJson(specType, document);
  const deploymentJson = (document as { deploymentSpec?: unknown }).deploymentSpec ?? {};
  const deployment = protojson.fromJson(deploymentType, deploymentJson);
  const asObject = (type: protobuf.Type, message: protobuf.Message) => type.toObject(message, { defaults: false, arrays: true, objects: true, enums: String, longs: Number }) as Record<string, unknown>;
  return { spec: asObject(specType, spec), deployment: asObject(deploymentType, deployment) };
}

/** Argo's published JSON schema (draft 2020-12), as vendored. */
export async function loadArgoSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(VENDOR_DIR, 'argo', 'schema.json'), 'utf8')) as Record<string, unknown>;
}

export const ARGO_WORKFLOW_DEFINITION = 'io.argoproj.workflow.v1alpha1.Workflow';

/**
 * The schema with `additionalProperties: false` on every object definition that lists its
 * properties: Argo's schema (from Kubernetes OpenAPI) leaves unknown fields open, while the
 * API server's strict field validation (`kubectl apply --validate=strict`) rejects them.
 */
export function closedArgoSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const definitions = schema.definitions as Record<string, Record<string, unknown>>;
  const closed: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    closed[name] = definition.properties && definition.additionalProperties === undefined ? { ...definition, additionalProperties: false } : definition;
  }
  const { $id: _id, ...rest } = schema;
  return { ...rest, definitions: closed };
}
