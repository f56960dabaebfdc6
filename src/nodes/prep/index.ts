import type { AnyNodeDefinition } from '../../engine/node';
import { prepColumns } from './columns';
import { prepDedupe } from './dedupe';
import { prepEncode } from './encode';
import { prepFilter } from './filter';
import { prepMissing } from './missing';
import { prepRoles } from './roles';
import { prepScale } from './scale';
import { prepSplit } from './split';

/** Node types of stage `prep`, one file each. */
export const prepNodes: AnyNodeDefinition[] = [prepRoles, prepSplit, prepColumns, prepFilter, prepDedupe, prepMissing, prepEncode, prepScale];
