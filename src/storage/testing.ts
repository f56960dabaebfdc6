/** Test helper: a fresh database on fake-indexeddb (each call gets its own database name). */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { PipelineStudioDb } from './db';

let counter = 0;

export function freshTestDb(): PipelineStudioDb {
  counter += 1;
  return new PipelineStudioDb(`pipeline-studio-test-${counter}-${Date.now()}`, { indexedDB, IDBKeyRange });
}

/** Makes every write to `tableName` fail the way a full disk does in a browser. */
export async function failWritesWithQuota(db: PipelineStudioDb, tableName: string): Promise<void> {
  db.use({
    stack: 'dbcore',
    name: `quota-${tableName}`,
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== tableName) return table;
        return { ...table, mutate: () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) };
      },
    }),
  });
  // Middleware applies from the next open.
  if (db.isOpen()) {
    db.close();
    await db.open();
  }
}
