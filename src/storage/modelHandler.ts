/**
 * A tfjs IO handler that saves and loads a network into the app's own database
 * (`modelNetworks`), so `network.save(dexieModelHandler(db, id))` and
 * `tf.loadLayersModel(dexieModelHandler(db, id))` keep models beside their pipelines
 * instead of in tfjs's separate `indexeddb://` database. Type-only tfjs imports: no tfjs code here.
 */
import type * as TF from '@tensorflow/tfjs';
import type { ModelNetworkRecord, PipelineStudioDb } from './db';
import { guardQuota } from './errors';

type IOHandler = TF.io.IOHandler;
type ModelArtifacts = TF.io.ModelArtifacts;
type SaveResult = TF.io.SaveResult;

/** tfjs may hand weights as one buffer or a list of shards: store one contiguous buffer. */
export function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, part) => n + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of data) {
    joined.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return joined.buffer;
}

export function networkRecord(id: string, artifacts: ModelArtifacts): ModelNetworkRecord {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('Only layers-format (JSON topology) models can be stored');
  }
  return {
    id,
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData: joinWeightData(artifacts.weightData),
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    savedAt: Date.now(),
  };
}

export function artifactsOf(record: ModelNetworkRecord): ModelArtifacts {
  return {
    modelTopology: record.modelTopology as ModelArtifacts['modelTopology'],
    weightSpecs: record.weightSpecs as ModelArtifacts['weightSpecs'],
    weightData: record.weightData,
    format: record.format,
    generatedBy: record.generatedBy,
    convertedBy: record.convertedBy,
    trainingConfig: record.trainingConfig as ModelArtifacts['trainingConfig'],
  };
}

export function dexieModelHandler(db: PipelineStudioDb, id: string): IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const record = networkRecord(id, artifacts);
      await guardQuota(`model weights "${id}"`, () => db.modelNetworks.put(record));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(record.savedAt),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(record.modelTopology).length,
          weightSpecsBytes: JSON.stringify(record.weightSpecs).length,
          weightDataBytes: record.weightData.byteLength,
        },
      };
    },
    async load(): Promise<ModelArtifacts> {
      const record = await db.modelNetworks.get(id);
      if (!record) throw new Error(`No stored network with id "${id}" in the ${db.name} database`);
      return artifactsOf(record);
    },
  };
}
