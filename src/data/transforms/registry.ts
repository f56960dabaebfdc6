/** How each fitted kind is applied: one pure function per kind, shared by batch and single-record paths. */
import type { Table } from '../types';

export interface TransformApplier<S> {
  /** Applies the fitted state to every row. Non-fatal notes (unseen categories…) go into `notes`. */
  apply(state: S, table: Table, notes: string[]): Table;
  /** One line for the transforms view and node summaries. */
  describe(state: S): string;
  /** Columns the step reads (so a raw column still needed is kept in the raw schema). */
  inputs(state: S): string[];
  /** Columns whose missing values the step fills (a serving record may leave them out). */
  fills?(state: S): string[];
  /**
   * The same step learned again on other rows (`table` as it arrives at this step): what
   * cross-validation does in every fold, so no fold's statistics include its own held-out rows.
   * Steps that learn nothing return `state` unchanged.
   */
  refit(state: S, table: Table, rows: ArrayLike<number>): S;
}

const appliers = new Map<string, TransformApplier<never>>();

export function registerApplier<S>(kind: string, applier: TransformApplier<S>): void {
  appliers.set(kind, applier as TransformApplier<never>);
}

export function applierFor(kind: string): TransformApplier<Record<string, unknown>> {
  const applier = appliers.get(kind);
  if (!applier) throw new Error(`Unknown transform kind "${kind}" (known: ${[...appliers.keys()].join(', ')})`);
  return applier as unknown as TransformApplier<Record<string, unknown>>;
}
