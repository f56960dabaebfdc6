/**
 * What a run-history record read back must have. Kept permissive on purpose: the fields
 * listed are the ones every reader relies on, and anything else (fields added later) passes
 * through, so the record shape can grow without this check turning new records into damaged ones.
 */
import { z } from '../engine/zod';
import type { RunRecord } from './db';
import { checkWith, type RecordCheck } from './records';

export const runRecordSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  graphId: z.string().check(z.minLength(1)),
  startedAt: z.number().check(z.refine(Number.isFinite, 'expected a finite number')),
  nodes: z.optional(z.record(z.string(), z.looseObject({ status: z.string() }))),
}) as unknown as z.ZodMiniType<RunRecord>;

export function checkRunRecord(raw: unknown): RecordCheck<RunRecord> {
  return checkWith(runRecordSchema, raw);
}
