import type { AnyNodeDefinition } from '../../engine/node';
import { dataFile } from './file';
import { dataSample } from './sample';
import { dataStored } from './stored';
import { dataUrl } from './url';

/** Node types of stage `data`, one file each. */
export const dataNodes: AnyNodeDefinition[] = [dataSample, dataFile, dataUrl, dataStored];
