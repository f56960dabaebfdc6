/**
 * Model export/import as one zip: `model.json` + `weights.bin` in the standard tfjs layers
 * format (loadable by stock `tf.loadLayersModel`), plus `pipeline.json` with everything else
 * needed to predict from a raw record (transform chain, schemas, target, lineage).
 * Pure TypeScript over fflate: no tfjs, so it runs anywhere.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import stringify from 'safe-stable-stringify';
import { z } from '../engine/zod';
import type { ModelArtifact } from '../data/types';

export const PIPELINE_FORMAT = 'pipeline-studio.model';
export const PIPELINE_VERSION = 1;
/** Fixed timestamp inside the zip so the same model always exports to the same bytes. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

function json(value: unknown): Uint8Array {
  return strToU8(`${stringify(value, null, 2)}\n`);
}

export function exportModelZip(artifact: ModelArtifact): Uint8Array {
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Pipeline Studio',
    convertedBy: null,
    modelTopology: artifact.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifact.weightSpecs }],
  };
  const pipeline = {
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    name: artifact.name,
    transforms: artifact.transforms,
    rawSchema: artifact.rawSchema,
    featureNames: artifact.featureNames,
    featureShape: artifact.featureShape,
    target: artifact.target,
    spec: artifact.spec,
    trainParams: artifact.trainParams,
    history: artifact.history,
    metrics: artifact.metrics,
    reference: artifact.reference,
    lineage: artifact.lineage,
  };
  return zipSync(
    {
      'model.json': json(modelJson),
      'weights.bin': new Uint8Array(artifact.weightData),
      'pipeline.json': json(pipeline),
    },
    { mtime: ZIP_MTIME, level: 6 },
  );
}

const weightSpecSchema = z.looseObject({ name: z.string(), shape: z.array(z.int().check(z.nonnegative())), dtype: z.string() });
const modelJsonSchema = z.looseObject({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()).check(z.minLength(1)), weights: z.array(weightSpecSchema) })).check(z.minLength(1)),
});
const pipelineSchema = z.looseObject({
  format: z.literal(PIPELINE_FORMAT),
  version: z.int(),
  name: z.string(),
  transforms: z.array(z.looseObject({ kind: z.string(), fittedOn: z.enum(['train', 'all']), state: z.record(z.string(), z.unknown()) })),
  rawSchema: z.array(z.looseObject({ name: z.string(), dtype: z.enum(['number', 'category', 'boolean', 'text', 'datetime']) })),
  featureNames: z.array(z.string()),
  featureShape: z.optional(z.array(z.int().check(z.positive()))),
  target: z.looseObject({ name: z.string(), task: z.enum(['classification', 'regression']), classes: z.optional(z.array(z.string())) }),
  spec: z.looseObject({ family: z.enum(['linear', 'logistic', 'mlp', 'cnn']), hyper: z.record(z.string(), z.unknown()) }),
  trainParams: z._default(z.record(z.string(), z.unknown()), {}),
  history: z._default(z.array(z.record(z.string(), z.number())), []),
  metrics: z.optional(z.record(z.string(), z.number())),
  reference: z.optional(z.unknown()),
  lineage: z.looseObject({ createdAt: z.number() }),
});

export class ModelZipError extends Error {
  override name = 'ModelZipError';
}

function parseJsonFile(files: Record<string, Uint8Array>, name: string): unknown {
  const bytes = files[name];
  if (!bytes) throw new ModelZipError(`the zip has no ${name} (expected model.json, weights.bin and pipeline.json)`);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new ModelZipError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function importModelZip(bytes: Uint8Array): ModelArtifact {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new ModelZipError(`not a readable zip file (${(error as Error).message})`);
  }
  // Tolerate a zip made by hand whose files sit in one folder.
  const flat: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(files)) if (!path.endsWith('/')) flat[path.split('/').pop()!] = data;

  const model = modelJsonSchema.safeParse(parseJsonFile(flat, 'model.json'));
  if (!model.success) throw new ModelZipError(`model.json is not a tfjs layers model: ${describeIssues(model.error)}`);
  const pipeline = pipelineSchema.safeParse(parseJsonFile(flat, 'pipeline.json'));
  if (!pipeline.success) throw new ModelZipError(`pipeline.json is not a Pipeline Studio model: ${describeIssues(pipeline.error)}`);
  if (pipeline.data.version > PIPELINE_VERSION) {
    throw new ModelZipError(`pipeline.json is version ${pipeline.data.version}; this app reads up to ${PIPELINE_VERSION}`);
  }

  const weightSpecs = model.data.weightsManifest.flatMap((group) => group.weights);
  const shards = model.data.weightsManifest.flatMap((group) => group.paths);
  const chunks = shards.map((path) => {
    const data = flat[path.split('/').pop()!];
    if (!data) throw new ModelZipError(`the zip has no ${path} (named in model.json's weightsManifest)`);
    return data;
  });
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const expected = weightSpecs.reduce((sum, spec) => {
    const size = BYTES_PER_DTYPE[spec.dtype];
    if (size === undefined) throw new ModelZipError(`weight "${spec.name}" has unsupported dtype ${spec.dtype}`);
    return sum + spec.shape.reduce((a, b) => a * b, 1) * size;
  }, 0);
  if (total !== expected) throw new ModelZipError(`the weights hold ${total} bytes but model.json describes ${expected}`);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    weightData.set(chunk, offset);
    offset += chunk.byteLength;
  }

  const p = pipeline.data;
  return {
    name: p.name,
    modelTopology: model.data.modelTopology,
    weightSpecs,
    weightData: weightData.buffer,
    transforms: p.transforms as ModelArtifact['transforms'],
    rawSchema: p.rawSchema as ModelArtifact['rawSchema'],
    featureNames: p.featureNames,
    featureShape: p.featureShape,
    target: p.target as ModelArtifact['target'],
    spec: p.spec as ModelArtifact['spec'],
    trainParams: p.trainParams,
    history: p.history as ModelArtifact['history'],
    metrics: p.metrics,
    reference: p.reference,
    lineage: p.lineage as ModelArtifact['lineage'],
  };
}
