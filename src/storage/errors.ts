/** Errors the storage layer turns browser/IndexedDB failures into, with words a user can act on. */

export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor(what: string, cause?: unknown) {
    super(
      `Browser storage is full: could not save ${what}. Nothing already saved was lost. ` +
        'Delete unused datasets or models (or free disk space) and try again.',
      { cause },
    );
  }
}

/** Another tab (or another save) wrote the graph since this copy was loaded. */
export class RevisionConflictError extends Error {
  override readonly name = 'RevisionConflictError';
  constructor(
    readonly graphId: string,
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      `The graph was saved elsewhere (revision ${currentRevision}, this copy is revision ${expectedRevision}). ` +
        'Reload it or save as a copy.',
    );
  }
}

/** Dexie wraps IndexedDB failures (AbortError with an inner cause, bulk errors…): look through them. */
export function isQuotaError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const named = current as { name?: string; code?: number; inner?: unknown; cause?: unknown; failures?: unknown[] };
    // code 22 is the legacy DOMException.QUOTA_EXCEEDED_ERR
    if (named.name === 'QuotaExceededError' || named.code === 22) return true;
    if (Array.isArray(named.failures) && named.failures.some(isQuotaError)) return true;
    current = named.inner ?? named.cause;
  }
  return false;
}

/** Runs a write; a quota failure becomes a StorageFullError naming what was being saved. */
export async function guardQuota<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(what, error);
    throw error;
  }
}

export function newId(prefix: string): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}_${random}`;
}
