/** Scores an uploaded file through the endpoint in chunks, with progress, into a downloadable CSV. */
import { useEffect, useRef, useState } from 'react';
import { parseData } from '../../data/parse';
import type { ModelPipelineRecord } from '../../storage/db';
import { tableRecords } from '../../serving/replay';
import { inputSchema } from '../../serving/validate';
import { answerError, postPredict, toCsv } from './api';
import { errorMessage } from '../../engine/errors';

/** Records per request: well under the endpoint's limits, small enough for steady progress. */
const CHUNK = 100;

export function BatchScore({ endpoint, pipeline, onScored }: { endpoint: string; pipeline: ModelPipelineRecord; onScored: () => void }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<{ url: string; name: string; rows: number } | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => () => (result ? URL.revokeObjectURL(result.url) : undefined), [result]);

  const score = async (file: File) => {
    controller.current?.abort();
    const abort = (controller.current = new AbortController());
    setFailure(null);
    setResult(null);
    try {
      const { table } = await parseData(new Uint8Array(await file.arrayBuffer()), 'auto', file.name);
      const inputs = new Set(inputSchema(pipeline.rawSchema, pipeline.target.name).map((c) => c.name));
      const records = tableRecords(table, undefined, table.columns.map((c) => c.name).filter((n) => !inputs.has(n)));
      const originals = tableRecords(table);
      const classes = pipeline.target.classes ?? [];
      const header = [...table.columns.map((c) => c.name), 'prediction', ...classes.map((c) => `p(${c})`)];
      const rows: (string | number | boolean | null)[][] = [];
      setProgress({ done: 0, total: records.length });
      for (let start = 0; start < records.length; start += CHUNK) {
        const answer = await postPredict(endpoint, records.slice(start, start + CHUNK), abort.signal);
        if (answer.status !== 200 || !answer.body.predictions) throw new Error(`rows ${start + 1}–${Math.min(start + CHUNK, records.length)}: ${answerError(answer)}`);
        answer.body.predictions.forEach((p, i) => {
          const original = originals[start + i];
          rows.push([...table.columns.map((c) => (original[c.name] as string | number | boolean | undefined) ?? null), p.prediction, ...classes.map((c) => (p.probabilities?.[c] ?? null) as number | null)]);
        });
        setProgress({ done: Math.min(start + CHUNK, records.length), total: records.length });
      }
      const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv' }));
      setResult({ url, name: `${file.name.replace(/\.[^.]+$/, '')}-${endpoint}-predictions.csv`, rows: rows.length });
      onScored();
    } catch (error) {
      if (!abort.signal.aborted) setFailure(errorMessage(error));
    }
  };

  return (
    <div data-testid="batch-score">
      <input
        type="file"
        accept=".csv,.tsv,.json,.jsonl,text/csv"
        aria-label="File to score"
        data-testid="batch-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void score(file);
          e.target.value = '';
        }}
      />
      {progress && (
        <div className="progress" role="progressbar" aria-valuenow={progress.done} aria-valuemax={progress.total} data-testid="batch-progress">
          <div style={{ width: `${progress.total === 0 ? 100 : (progress.done / progress.total) * 100}%` }} />
        </div>
      )}
      {progress && (
        <p className="muted">
          {progress.done}/{progress.total} rows scored
        </p>
      )}
      {failure && <p className="error-text">{failure}</p>}
      {result && (
        <a href={result.url} download={result.name} data-testid="batch-download">
          Download {result.rows} predictions (CSV)
        </a>
      )}
    </div>
  );
}
