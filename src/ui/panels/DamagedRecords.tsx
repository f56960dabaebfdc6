/**
 * Stored entries that cannot be read (storage/records.ts checks every record): listed under
 * the good ones with what is wrong, and two actions — export the record as it is, or delete it.
 */
import type { DamagedRecord } from '../../storage/index';
import { exportRawRecord } from '../../state/actions';
import { editorStore } from '../../state/store';
import { errorMessage } from '../../engine/errors';

export function DamagedRecords({ damaged, what, remove }: { damaged: DamagedRecord[] | undefined; what: string; remove: (key: string) => Promise<void> }) {
  if (!damaged?.length) return null;
  const onDelete = async (record: DamagedRecord) => {
    if (!confirm(`Delete the damaged ${what} “${record.key}”? Export it first to keep a copy. This cannot be undone.`)) return;
    try {
      await remove(record.key);
      editorStore.getState().bumpLibrary();
    } catch (e) {
      editorStore.getState().toast('error', errorMessage(e));
    }
  };
  return (
    <section className="damaged" aria-label={`Damaged ${what}s`} data-testid="damaged-records">
      <h3>
        {damaged.length} damaged {what}
        {damaged.length === 1 ? '' : 's'}
      </h3>
      <p className="muted">{damaged.length === 1 ? 'This stored entry cannot be read' : 'These stored entries cannot be read'}; everything else works. Export keeps the record as it is.</p>
      <ul className="list">
        {damaged.map((record) => (
          <li key={record.key} data-testid="damaged-item" data-key={record.key}>
            <b>{record.key}</b>
            <span className="error-text" data-testid="damaged-problem">
              {record.problem}
            </span>
            <div className="row">
              <button onClick={() => void exportRawRecord(record)} aria-label={`Export raw ${record.key}`}>
                Export raw
              </button>
              <button className="danger" onClick={() => void onDelete(record)} aria-label={`Delete damaged ${record.key}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
