/** One record → the endpoint's prediction, probabilities and round-trip latency (through fetch). */
import { useState } from 'react';
import type { ModelPipelineRecord } from '../../storage/db';
import { inputSchema } from '../../serving/validate';
import { answerError, type EndpointAnswer, postPredict } from './api';
import { PredictionResult } from '../panels/PredictionResult';
import { errorMessage } from '../../engine/errors';

export function PredictForm({ endpoint, pipeline, onAnswered }: { endpoint: string; pipeline: ModelPipelineRecord; onAnswered: () => void }) {
  const fields = inputSchema(pipeline.rawSchema, pipeline.target.name);
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<EndpointAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const predict = async () => {
    const record: Record<string, unknown> = {};
    for (const field of fields) {
      const text = (values[field.name] ?? '').trim();
      if (text === '') continue;
      // Numbers go as numbers when they read as numbers; anything else is sent as typed, for the endpoint to judge.
      record[field.name] = field.dtype === 'number' && text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text;
    }
    try {
      setFailure(null);
      setAnswer(await postPredict(endpoint, record));
      onAnswered();
    } catch (error) {
      setAnswer(null);
      setFailure(errorMessage(error));
    }
  };
  const first = answer?.status === 200 ? answer.body.predictions?.[0] : undefined;
  return (
    <form
      data-testid="endpoint-predict-form"
      onSubmit={(e) => {
        e.preventDefault();
        void predict();
      }}
    >
      <div className="form-columns">
        {fields.map((c) => (
          <div className="field" key={c.name}>
            <label htmlFor={`ep-${endpoint}-${c.name}`} title={`${c.name} (${c.dtype})`}>
              {c.name}
            </label>
            {c.categories ? (
              <select id={`ep-${endpoint}-${c.name}`} value={values[c.name] ?? ''} onChange={(e) => setValues({ ...values, [c.name]: e.target.value })}>
                <option value="">(missing)</option>
                {c.categories.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            ) : (
              <input id={`ep-${endpoint}-${c.name}`} placeholder={c.dtype} value={values[c.name] ?? ''} onChange={(e) => setValues({ ...values, [c.name]: e.target.value })} />
            )}
          </div>
        ))}
      </div>
      <button className="primary" type="submit">
        Predict
      </button>
      {failure && <p className="error-text">{failure}</p>}
      {answer && answer.status !== 200 && (
        <p className="error-text" data-testid="endpoint-predict-error">
          {answerError(answer)}
        </p>
      )}
      {first && (
        <PredictionResult
          target={pipeline.target.name}
          result={{ ...first, warnings: answer!.body.warnings }}
          latency={`${answer!.ms.toFixed(1)} ms round trip`}
          testId="endpoint-prediction"
          valueTestId="endpoint-prediction-value"
        />
      )}
    </form>
  );
}
