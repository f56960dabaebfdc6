import { describe, expect, it, vi } from 'vitest';
import type { ColumnSchema } from '../data/types';
import { createServingHandler, type ServingModel } from './handler';
import { parsePrometheusText } from './metrics';
import { buildReference } from './reference';

const rawSchema: ColumnSchema[] = [
  { name: 'bill', dtype: 'number' },
  { name: 'island', dtype: 'category', categories: ['Biscoe', 'Dream'] },
  { name: 'species', dtype: 'category', categories: ['Adelie', 'Gentoo'] },
];

/** A real (if tiny) classifier: logistic in `bill`, so outputs depend on inputs. */
function logisticModel(overrides: Partial<ServingModel> = {}): ServingModel {
  const range = Array.from({ length: 200 }, (_, i) => 30 + (i % 100) * 0.3);
  const reference = buildReference(
    {
      rowCount: 200,
      columns: [
        { name: 'bill', dtype: 'number', values: Float64Array.from(range) },
        { name: 'island', dtype: 'category', codes: Int32Array.from(range.map((_, i) => i % 2)), categories: ['Biscoe', 'Dream'] },
        { name: 'species', dtype: 'category', codes: Int32Array.from(range.map((b) => (b > 45 ? 1 : 0))), categories: ['Adelie', 'Gentoo'] },
      ],
    },
    null,
    rawSchema,
  );
  // Built without excluding the target (as a caller may): the handler ignores features requests never carry.
  expect(reference.features.map((f) => f.name)).toEqual(['bill', 'island', 'species']);
  return {
    name: 'penguins',
    version: 'v-test',
    backend: 'cpu',
    rawSchema,
    target: { name: 'species', task: 'classification', classes: ['Adelie', 'Gentoo'] },
    reference,
    async predict(records) {
      return records.map((r) => {
        if (r.bill === null) throw Object.assign(new Error('record has missing values'), { fields: { bill: 'missing value and no impute step' } });
        const gentoo = 1 / (1 + Math.exp(-((r.bill as number) - 45)));
        return { prediction: gentoo > 0.5 ? 'Gentoo' : 'Adelie', probabilities: { Adelie: 1 - gentoo, Gentoo: gentoo } };
      });
    },
    ...overrides,
  };
}

const post = (body: string) => ({ method: 'POST', url: '/predict', body });

describe('serving handler', () => {
  it('predicts a batch, logs it and counts it', async () => {
    const logged: number[] = [];
    let clock = 0;
    const handler = createServingHandler(logisticModel(), { now: () => 1_700_000_000_000, monotonic: () => (clock += 2), onLogged: (e) => logged.push(e.length) });
    const response = await handler.handle(post(JSON.stringify({ records: [{ bill: 50, island: 'Dream' }, { bill: 40, island: 'Biscoe' }] })));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.body);
    expect(body.model).toEqual({ name: 'penguins', version: 'v-test' });
    expect(body.predictions.map((p: { prediction: string }) => p.prediction)).toEqual(['Gentoo', 'Adelie']);
    expect(body.predictions[0].probabilities.Gentoo).toBeCloseTo(1 / (1 + Math.exp(-5)), 12);
    expect(body.warnings).toBeUndefined();

    expect(logged).toEqual([2]);
    expect(handler.log.entries()).toEqual([
      { time: 1_700_000_000_000, modelVersion: 'v-test', inputs: { bill: 50, island: 'Dream' }, output: body.predictions[0], latencyMs: 2, batchSize: 2 },
      { time: 1_700_000_000_000, modelVersion: 'v-test', inputs: { bill: 40, island: 'Biscoe' }, output: body.predictions[1], latencyMs: 2, batchSize: 2 },
    ]);
    const samples = parsePrometheusText((await handler.handle({ method: 'GET', url: '/metrics' })).body);
    expect(samples.get('pipeline_studio_requests_total{status="200"}')).toBe(1);
    expect(samples.get('pipeline_studio_predictions_total')).toBe(2);
    expect(samples.get('pipeline_studio_prediction_latency_seconds_bucket{le="0.0025"}')).toBe(1);
    expect(samples.get('pipeline_studio_model_info{name="penguins",version="v-test",task="classification",backend="cpu"}')).toBe(1);
  });

  it('keeps answering when the log cannot be written, counting the lost records in /metrics and /health', async () => {
    const errors: unknown[] = [];
    let full = true;
    const handler = createServingHandler(logisticModel(), {
      onLogged: () => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
      onLogError: (error) => errors.push(error),
    });
    const one = await handler.handle(post('{"bill":50,"island":"Dream"}'));
    const two = await handler.handle(post(JSON.stringify({ records: [{ bill: 40, island: 'Biscoe' }, { bill: 41, island: 'Biscoe' }] })));
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(JSON.parse(two.body).predictions).toHaveLength(2);
    expect(errors).toHaveLength(2);
    const samples = () => handler.handle({ method: 'GET', url: '/metrics' }).then((r) => parsePrometheusText(r.body));
    expect((await samples()).get('pipeline_studio_predictions_total')).toBe(3);
    expect((await samples()).get('pipeline_studio_log_write_failures_total')).toBe(3);
    expect((await samples()).get('pipeline_studio_errors_total')).toBe(0);
    const health = async () => JSON.parse((await handler.handle({ method: 'GET', url: '/health' })).body);
    expect(await health()).toMatchObject({ status: 'degraded', logged: 3, logFailures: 3, logError: 'ENOSPC: no space left on device' });

    full = false;
    expect((await handler.handle(post('{"bill":50,"island":"Dream"}'))).status).toBe(200);
    expect(await health()).toMatchObject({ status: 'ok', logged: 4, logFailures: 3 });
    expect((await health()).logError).toBeUndefined();
  });

  it('answers a prediction only after its own log record is stored', async () => {
    const writes: { records: number; done: () => void }[] = [];
    const handler = createServingHandler(logisticModel(), {
      onLogged: (entries) => new Promise<void>((resolve) => writes.push({ records: entries.length, done: resolve })),
    });
    let answered = false;
    const answer = handler.handle(post('{"bill":50,"island":"Dream"}')).then((r) => ((answered = true), r));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answered).toBe(false);
    writes[0].done();
    expect((await answer).status).toBe(200);
  });

  it('answers bad requests with 4xx, logs none of them, and keeps serving', async () => {
    const handler = createServingHandler(logisticModel(), { maxBytes: 2000 });
    const cases: [ReturnType<typeof post> | { method: string; url: string; body?: string; bodyTooLarge?: boolean }, number, RegExp][] = [
      [post('{"island":"Dream"}'), 422, /missing field/],
      [post('{"bill":"fifty","island":"Dream"}'), 422, /wrong type/],
      [post(''), 400, /empty body/],
      [post('{oops'), 400, /not valid JSON/],
      [post(JSON.stringify({ records: Array(100).fill({ bill: 1, island: 'Dream' }) })), 413, /larger than 2000 bytes/],
      [{ method: 'POST', url: '/predict', bodyTooLarge: true }, 413, /larger than/],
      [post('{"bill":null,"island":"Dream"}'), 422, /missing value/],
      [{ method: 'GET', url: '/predict' }, 405, /not allowed/],
      [{ method: 'DELETE', url: '/metrics' }, 405, /not allowed/],
      [{ method: 'GET', url: '/nope' }, 404, /no route/],
    ];
    for (const [request, status, message] of cases) {
      const response = await handler.handle(request);
      expect(response.status, `${request.method} ${request.url} ${request.body ?? ''}`).toBe(status);
      expect(JSON.parse(response.body).error).toMatch(message);
    }
    const missingValue = JSON.parse((await handler.handle(post('{"bill":null,"island":"Dream"}'))).body);
    expect(missingValue.fields).toEqual({ bill: 'missing value and no impute step' });
    expect((await handler.handle({ method: 'GET', url: '/predict' })).headers.allow).toBe('POST');
    expect(handler.log.size).toBe(0);

    const ok = await handler.handle(post('{"bill":46,"island":"Biscoe"}'));
    expect(ok.status).toBe(200);
    expect(handler.log.size).toBe(1);
    const samples = parsePrometheusText(handler.metrics.render());
    expect(samples.get('pipeline_studio_requests_total{status="422"}')).toBe(4);
    expect(samples.get('pipeline_studio_requests_total{status="413"}')).toBe(2);
    expect(samples.get('pipeline_studio_requests_total{status="400"}')).toBe(2);
    expect(samples.get('pipeline_studio_requests_total{status="405"}')).toBe(3);
    expect(samples.get('pipeline_studio_requests_total{status="404"}')).toBe(1);
    expect(samples.get('pipeline_studio_errors_total')).toBe(0);
  });

  it('warns about unseen categories and extra fields by default; refuses them when strict', async () => {
    const body = '{"bill":46,"island":"Atlantis","colour":"red"}';
    const lenient = await createServingHandler(logisticModel()).handle(post(body));
    expect(lenient.status).toBe(200);
    expect(JSON.parse(lenient.body).warnings).toEqual(['island: unseen category "Atlantis" (known: Biscoe, Dream)', 'colour: unknown field ignored']);
    const strict = await createServingHandler(logisticModel(), { unseenCategory: 'refuse', extraFields: 'refuse' }).handle(post(body));
    expect(strict.status).toBe(422);
    expect(Object.keys(JSON.parse(strict.body).fields)).toEqual(['island', 'colour']);
  });

  it('turns a crashing model into a 500 and counts the error', async () => {
    const handler = createServingHandler(
      logisticModel({
        predict: async () => {
          throw new Error('out of memory');
        },
      }),
    );
    const response = await handler.handle(post('{"bill":46,"island":"Biscoe"}'));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).error).toBe('prediction failed: out of memory');
    expect(handler.log.size).toBe(0);
    expect(parsePrometheusText(handler.metrics.render()).get('pipeline_studio_errors_total')).toBe(1);
  });

  it('reports health, schema and drift', async () => {
    const handler = createServingHandler(logisticModel());
    expect(JSON.parse((await handler.handle({ method: 'GET', url: '/health' })).body)).toMatchObject({ status: 'ok', model: { name: 'penguins' } });
    const schema = JSON.parse((await handler.handle({ method: 'GET', url: '/schema' })).body);
    expect(schema.inputs.map((c: ColumnSchema) => c.name)).toEqual(['bill', 'island']);
    expect((await handler.handle({ method: 'HEAD', url: '/health' })).body).toBe('');

    // Traffic far above the training range: bill drifts red, island stays green.
    const records = Array.from({ length: 60 }, (_, i) => ({ bill: 80 + i, island: i % 2 ? 'Dream' : 'Biscoe' }));
    expect((await handler.handle(post(JSON.stringify({ records })))).status).toBe(200);
    const drift = JSON.parse((await handler.handle({ method: 'GET', url: '/drift?window=60000' })).body);
    expect(drift.status).toBe('red');
    expect(drift.latest.features.map((f: { name: string; status: string }) => [f.name, f.status])).toEqual([
      ['bill', 'red'],
      ['island', 'green'],
    ]);
    expect(drift.driftingSince).toBe(drift.windows[0].start);
    expect((await handler.handle({ method: 'GET', url: '/drift?window=5' })).status).toBe(400);

    const samples = parsePrometheusText((await handler.handle({ method: 'GET', url: '/metrics' })).body);
    expect(samples.get('pipeline_studio_drift_psi{feature="bill"}')!).toBeGreaterThan(0.25);
    expect(samples.get('pipeline_studio_drift_status{feature=""}')).toBe(2);
    // /metrics dates the episode on the default one-hour windows, like GET /drift without ?window.
    const hourly = JSON.parse((await handler.handle({ method: 'GET', url: '/drift' })).body);
    expect(hourly.windowMs).toBe(3_600_000);
    expect(samples.get('pipeline_studio_drifting_since_seconds')).toBe(hourly.driftingSince / 1000);
  });

  it('says so when the model has no reference profile', async () => {
    const handler = createServingHandler(logisticModel({ reference: undefined }));
    const drift = JSON.parse((await handler.handle({ method: 'GET', url: '/drift' })).body);
    expect(drift).toMatchObject({ status: 'unknown', windows: [] });
    expect((await handler.handle({ method: 'GET', url: '/metrics' })).body).not.toContain('drift_psi');
  });
});

describe('transport details', () => {
  it('decodes byte bodies strictly and refuses uploads that cannot be JSON', async () => {
    const handler = createServingHandler(logisticModel());
    const bytes = new TextEncoder().encode('{"bill":46,"island":"Dream"}');
    expect((await handler.handle({ method: 'POST', url: '/predict', body: bytes, contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    const invalid = await handler.handle({ method: 'POST', url: '/predict', body: Uint8Array.of(0x7b, 0xff, 0x7d) });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error).toBe('body is not valid UTF-8');
    const upload = await handler.handle({ method: 'POST', url: '/predict', body: '--x\r\n', contentType: 'multipart/form-data; boundary=x' });
    expect(upload.status).toBe(415);
    expect(JSON.parse(upload.body).error).toBe('send JSON (Content-Type: application/json), not multipart/form-data');
    // curl -d sends JSON labelled as a form: accepted when the body is JSON.
    const curl = await handler.handle({ method: 'POST', url: '/predict', body: '{"bill":46,"island":"Dream"}', contentType: 'application/x-www-form-urlencoded' });
    expect(curl.status).toBe(200);
  });
});

describe('batching', () => {
  it('predicts concurrent requests in one model call and answers each its own', async () => {
    const sizes: number[] = [];
    const base = logisticModel();
    const handler = createServingHandler({ ...base, predict: (records) => (sizes.push(records.length), base.predict(records)) });
    const responses = await Promise.all([40, 50, 60].map((bill) => handler.handle(post(JSON.stringify({ bill, island: 'Dream' })))));
    expect(sizes).toEqual([3]);
    expect(responses.map((r) => JSON.parse(r.body).predictions[0].prediction)).toEqual(['Adelie', 'Gentoo', 'Gentoo']);
    expect(handler.log.entries().map((e) => [e.inputs.bill, e.batchSize])).toEqual([
      [40, 1],
      [50, 1],
      [60, 1],
    ]);
  });
});
