/** Stored datasets: size and shape, a preview of the first rows, delete. */
import { useState } from 'react';
import type { Table } from '../../data/types';
import { getStores } from '../../state/stores';
import { editorStore, useEditor } from '../../state/store';
import { formatNumber } from '../output/views';
import { DamagedRecords } from './DamagedRecords';
import { formatBytes, useAsync } from './useAsync';
import { errorMessage } from '../../engine/errors';

const PREVIEW_ROWS = 20;

function cell(table: Table, column: number, row: number): string {
  const col = table.columns[column];
  if (col.dtype === 'category') return col.codes[row] < 0 ? '∅' : col.categories[col.codes[row]];
  if (col.dtype === 'text') return col.values[row] ?? '∅';
  const v = col.values[row];
  return Number.isNaN(v) ? '∅' : formatNumber(v);
}

function Preview({ id }: { id: string }) {
  // Only the rows shown are read: a million-row entry previews without loading its columns.
  const { value, error } = useAsync(async () => (await getStores()).datasets.head(id, PREVIEW_ROWS), [id]);
  if (error) return <p className="error-text">{error}</p>;
  if (!value) return <p className="muted">Loading…</p>;
  const { table } = value;
  const rows = Math.min(PREVIEW_ROWS, table.rowCount);
  return (
    <div className="table-scroll" data-testid="dataset-preview">
      <table>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.name}>{c.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            <tr key={r}>
              {table.columns.map((_c, c) => (
                <td key={c}>{cell(table, c, r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DatasetsPanel() {
  const version = useEditor((s) => s.libraryVersion);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const { value: scan, error } = useAsync(async () => (await getStores()).datasets.scan(), [version]);
  const datasets = scan?.records;
  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete dataset “${name}”?`)) return;
    try {
      await (await getStores()).datasets.delete(id);
      editorStore.getState().bumpLibrary();
    } catch (e) {
      editorStore.getState().toast('error', errorMessage(e));
    }
  };
  return (
    <div className="panel-body" data-testid="datasets-panel">
      {error && <p className="error-text">{error}</p>}
      {datasets?.length === 0 && !scan?.damaged.length && <p className="muted">No stored datasets yet. Import a file with an ingest node; it is kept here.</p>}
      <ul className="list">
        {datasets?.map((d) => (
          <li key={d.id} data-testid="dataset-item">
            <b>{d.name}</b>
            <span className="muted">
              {d.rowCount} rows · {d.columns.length} cols · {formatBytes(d.bytes)}
            </span>
            <div className="row">
              <button onClick={() => setPreviewId(previewId === d.id ? null : d.id)} aria-expanded={previewId === d.id}>
                Preview
              </button>
              <button className="danger" onClick={() => void remove(d.id, d.name)} aria-label={`Delete dataset ${d.name}`}>
                Delete
              </button>
            </div>
            {previewId === d.id && <Preview id={d.id} />}
          </li>
        ))}
      </ul>
      <DamagedRecords damaged={scan?.damaged} what="dataset" remove={async (id) => (await getStores()).datasets.delete(id)} />
    </div>
  );
}
