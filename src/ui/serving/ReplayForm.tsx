/** Sends a dataset's rows (a partition, optionally shifted) through the endpoint at a chosen rate. */
import { useEffect, useRef, useState } from 'react';
import { parseData } from '../../data/parse';
import type { Table } from '../../data/types';
import type { ModelPipelineRecord } from '../../storage/db';
import { applyShifts, parseShift, type Partition, partitionRows, replay, type ReplayProgress, tableRecords } from '../../serving/replay';
import { inputSchema } from '../../serving/validate';
import { getStores } from '../../state/stores';
import { useAsync } from '../panels/useAsync';
import { postPredict } from './api';
import { errorMessage } from '../../engine/errors';

const SAMPLES = ['iris', 'penguins', 'digits'];

async function loadSource(source: string): Promise<Table> {
  if (source.startsWith('sample:')) {
    const name = source.slice('sample:'.length);
    const response = await fetch(`${import.meta.env.BASE_URL}samples/${name}.csv`);
    if (!response.ok) throw new Error(`sample ${name} answered ${response.status}`);
    return (await parseData(new Uint8Array(await response.arrayBuffer()), 'csv', `${name}.csv`)).table;
  }
  const stored = await (await getStores()).datasets.get(source.slice('dataset:'.length));
  if (!stored) throw new Error('that dataset is no longer stored');
  return stored.table;
}

export function ReplayForm({ endpoint, pipeline, onProgress }: { endpoint: string; pipeline: ModelPipelineRecord; onProgress: () => void }) {
  const { value: datasets } = useAsync(async () => (await getStores()).datasets.list(), []);
  const fields = inputSchema(pipeline.rawSchema, pipeline.target.name);
  const [source, setSource] = useState('sample:iris');
  const [partition, setPartition] = useState<Partition>('test');
  const [rate, setRate] = useState('50');
  const [shiftColumn, setShiftColumn] = useState('');
  const [shiftSpec, setShiftSpec] = useState('+2std');
  const [progress, setProgress] = useState<ReplayProgress | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const [running, setRunning] = useState(false);

  const start = async () => {
    controller.current?.abort();
    const abort = (controller.current = new AbortController());
    setFailure(null);
    setRunning(true);
    try {
      const table = await loadSource(source);
      const inputs = new Set(fields.map((f) => f.name));
      const rows = partitionRows(table.rowCount, partition, 1);
      let records = tableRecords(table, rows, table.columns.map((c) => c.name).filter((n) => !inputs.has(n)));
      if (shiftColumn) records = applyShifts(records, [parseShift(`${shiftColumn}=${shiftSpec}`)]);
      const perSecond = Number(rate);
      setProgress({ sent: 0, total: records.length, ok: 0, failed: 0, statuses: {}, errors: [] });
      let last = 0;
      const done = await replay(records, {
        rate: perSecond,
        signal: abort.signal,
        send: async (record) => {
          const answer = await postPredict(endpoint, record, abort.signal);
          return { status: answer.status, body: answer.status === 200 ? undefined : JSON.stringify(answer.body) };
        },
        onProgress: (p) => {
          setProgress(p);
          // The monitor refreshes about every tenth of the replay.
          if (p.sent - last >= Math.max(10, p.total / 10)) {
            last = p.sent;
            onProgress();
          }
        },
      });
      setProgress(done);
      onProgress();
    } catch (error) {
      if (!abort.signal.aborted) setFailure(errorMessage(error));
    } finally {
      if (controller.current === abort) setRunning(false);
    }
  };

  const shiftField = fields.find((f) => f.name === shiftColumn);
  return (
    <form
      className="replay-form"
      data-testid="replay-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="field">
        <label htmlFor={`replay-source-${endpoint}`}>Rows from</label>
        <select id={`replay-source-${endpoint}`} value={source} onChange={(e) => setSource(e.target.value)}>
          {SAMPLES.map((s) => (
            <option key={s} value={`sample:${s}`}>
              sample: {s}
            </option>
          ))}
          {(datasets ?? []).map((d) => (
            <option key={d.id} value={`dataset:${d.id}`}>
              {d.name} ({d.rowCount} rows)
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`replay-partition-${endpoint}`}>Partition (seeded 70/15/15)</label>
        <select id={`replay-partition-${endpoint}`} value={partition} onChange={(e) => setPartition(e.target.value as Partition)}>
          {['test', 'validation', 'train', 'all'].map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`replay-rate-${endpoint}`}>Rate (rows per second)</label>
        <input id={`replay-rate-${endpoint}`} value={rate} inputMode="decimal" onChange={(e) => setRate(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`replay-shift-${endpoint}`}>Shift</label>
        <select id={`replay-shift-${endpoint}`} value={shiftColumn} onChange={(e) => setShiftColumn(e.target.value)}>
          <option value="">(none)</option>
          {fields.map((f) => (
            <option key={f.name}>{f.name}</option>
          ))}
        </select>
        {shiftColumn && (
          <input
            aria-label="Shift amount"
            value={shiftSpec}
            placeholder={shiftField?.dtype === 'number' ? '+2std or +3' : 'from>to, or a value'}
            onChange={(e) => setShiftSpec(e.target.value)}
          />
        )}
        <span className="help">numbers: +k·std (e.g. +2std) or an amount; categories: a&gt;b swaps a for b</span>
      </div>
      <button className="primary" type="submit" disabled={running || !(Number(rate) >= 0.1)}>
        Replay
      </button>{' '}
      {running && (
        <button type="button" onClick={() => controller.current?.abort()}>
          Stop
        </button>
      )}
      {progress && (
        <p className="muted" data-testid="replay-progress">
          {progress.sent}/{progress.total} sent · {progress.ok} ok · {progress.failed} failed
        </p>
      )}
      {progress?.errors.map((e) => (
        <p key={e} className="error-text">
          {e}
        </p>
      ))}
      {failure && <p className="error-text">{failure}</p>}
    </form>
  );
}
