/**
 * Port values on disk, for cluster tasks (`run-node`): one directory per output port, the
 * unit a KFP or Argo artifact holds. Inside it:
 *   meta.json   what the value is and which task made it: port type, producing node and port,
 *               and that node's cache key (the executor's key, so a consumer can compute its own)
 *   data.arrow  table / dataset: Apache Arrow IPC file (roles, partitions, transforms in its schema metadata)
 *   model.zip   model: the model zip the app exports (tfjs layers format + pipeline.json)
 *   value.json  model-spec, metrics, endpoint: plain JSON
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { arrowToDataset, arrowToTable, datasetToArrow, tableToArrow } from '../data/arrow';
import type { Dataset, Table, TrainedModel } from '../data/types';
import type { PortType } from '../engine/ports';
import { PORT_TYPES } from '../engine/ports';
import { loadNetwork } from '../ml/predict';
import { exportModelZip, importModelZip } from '../ml/zip';
import { describeFsError } from './files';
import { errorMessage } from '../engine/errors';

export const PORT_META_FILE = 'meta.json';
export const PORT_FORMAT = 'pipeline-studio.port';
const PORT_FORMAT_VERSION = 1;

export interface PortMeta {
  format: typeof PORT_FORMAT;
  version: number;
  type: PortType;
  /** The node and output port that produced the value. */
  node: string;
  port: string;
  nodeType: string;
  /** The producing node's cache key: the key the executor gives that node for the same graph. */
  key: string;
}

export class PortFileError extends Error {
  override name = 'PortFileError';
}

/** The value file in a port directory. */
export function portValueFile(type: PortType): string {
  if (type === 'table' || type === 'dataset') return 'data.arrow';
  if (type === 'model') return 'model.zip';
  return 'value.json';
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new PortFileError(`${what}: cannot read ${path}: ${describeFsError(error)}`);
  }
}

/** Writes one port value and its meta.json into `dir` (created when missing). */
export async function writePortValue(dir: string, meta: Omit<PortMeta, 'format' | 'version'>, value: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, portValueFile(meta.type));
  let bytes: Uint8Array | string;
  switch (meta.type) {
    case 'table':
      bytes = tableToArrow(value as Table);
      break;
    case 'dataset':
      bytes = datasetToArrow(value as Dataset);
      break;
    case 'model':
      bytes = exportModelZip((value as TrainedModel).artifact);
      break;
    default:
      bytes = `${JSON.stringify(value, null, 2)}\n`;
  }
  await writeFile(file, bytes);
  const full: PortMeta = { format: PORT_FORMAT, version: PORT_FORMAT_VERSION, ...meta };
  await writeFile(join(dir, PORT_META_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return file;
}

/** Reads a port directory's meta.json; `what` names the input in messages (`input "data" of node "split"`). */
export async function readPortMeta(dir: string, what: string): Promise<PortMeta> {
  const path = join(dir, PORT_META_FILE);
  const text = new TextDecoder().decode(await readBytes(path, what));
  let meta: Partial<PortMeta>;
  try {
    meta = JSON.parse(text) as Partial<PortMeta>;
  } catch (error) {
    throw new PortFileError(`${what}: ${path} is not valid JSON (${errorMessage(error)})`);
  }
  if (meta?.format !== PORT_FORMAT || typeof meta.key !== 'string' || typeof meta.node !== 'string' || typeof meta.port !== 'string' || !PORT_TYPES.includes(meta.type as PortType)) {
    throw new PortFileError(`${what}: ${path} is not a Pipeline Studio port file (expected format "${PORT_FORMAT}" with type, node, port and key)`);
  }
  if ((meta.version ?? 0) > PORT_FORMAT_VERSION) throw new PortFileError(`${what}: ${path} is version ${meta.version}; this version reads up to ${PORT_FORMAT_VERSION}`);
  return meta as PortMeta;
}

/**
 * Reads the value of a port directory whose meta says `type`. A model comes back live
 * (network loaded: tfjs must be initialised), to be disposed by the caller.
 */
export async function readPortValue(dir: string, type: PortType, what: string): Promise<unknown> {
  const path = join(dir, portValueFile(type));
  const bytes = await readBytes(path, what);
  try {
    switch (type) {
      case 'table':
        return arrowToTable(bytes, path).table;
      case 'dataset':
        return arrowToDataset(bytes, path);
      case 'model': {
        const artifact = importModelZip(bytes);
        const network = await loadNetwork(artifact);
        const model: TrainedModel = { artifact, network, dispose: () => network.dispose() };
        return model;
      }
      default:
        return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    }
  } catch (error) {
    if (error instanceof PortFileError) throw error;
    const message = errorMessage(error);
    throw new PortFileError(`${what}: ${message.includes(path) ? message : `${path}: ${message}`}`);
  }
}
