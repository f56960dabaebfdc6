import type { Metrics } from '../../data/types';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import type { EndpointStore, ModelStore } from '../../engine/services';
import { inputSchema } from '../../serving/validate';
import { summarizeTraffic } from './report';

const STATUS_LEVEL = { unknown: -1, green: 0, amber: 1, red: 2 } as const;

/**
 * Summarises an endpoint's logged traffic: request volume, latency percentiles, per-feature
 * drift against the live model's training reference (green/amber/red, drifting since) and
 * served predictions against the training target.
 */
export const monitor = defineNode({
  type: 'monitor.endpoint',
  version: 1,
  title: 'Monitor endpoint',
  stage: 'monitor',
  description: 'Request volume, latency percentiles and per-feature drift (PSI/KS) of the traffic an endpoint has answered.',
  // Reads live traffic: never cached.
  deterministic: false,
  inputs: { endpoint: port('endpoint') },
  outputs: { report: port('metrics', { label: 'Report' }) },
  params: {
    windowMinutes: p.number(1, { min: 0.05, max: 1440, step: 1, label: 'Window (minutes)', help: 'Traffic is grouped into windows this long for the timeline and "drifting since".' }),
    recent: p.int(1000, { min: 30, max: 5000, label: 'Recent predictions', help: 'How many of the newest predictions the drift verdict compares with training.' }),
    lookbackHours: p.number(0, { min: 0, max: 720, label: 'Look back (hours)', help: '0 = everything still logged.' }),
  },
  run: async ({ inputs, params, services }) => {
    const endpoints = services.endpoints as EndpointStore | undefined;
    const models = services.models as ModelStore | undefined;
    if (!endpoints || !models) throw new Error('monitoring is not available here (no endpoint or model store)');
    const meta = await endpoints.get(inputs.endpoint.name);
    if (!meta) throw new Error(`endpoint "${inputs.endpoint.name}" no longer exists`);
    const live = meta.versions.find((v) => v.version === meta.live) ?? meta.versions.find((v) => v.version === inputs.endpoint.version);
    if (!live) throw new Error(`endpoint "${meta.name}" has no live version`);
    const artifact = await models.load(live.modelId);
    if (!artifact) throw new Error(`the model behind ${meta.name} v${live.version} was deleted from the model store`);
    const since = params.lookbackHours > 0 ? Date.now() - params.lookbackHours * 3_600_000 : undefined;
    const entries = await endpoints.predictions(meta.name, { since });
    const summary = summarizeTraffic(entries, {
      endpoint: meta.name,
      liveVersion: meta.live,
      reference: artifact.reference,
      target: artifact.target,
      inputNames: inputSchema(artifact.rawSchema, artifact.target.name).map((c) => c.name),
      windowMs: Math.round(params.windowMinutes * 60_000),
      recent: params.recent,
    });
    const scalars: Record<string, number> = { requests: summary.requests, drift_level: STATUS_LEVEL[summary.status] };
    if (summary.latencyMs) Object.assign(scalars, { latency_p50_ms: summary.latencyMs.p50, latency_p95_ms: summary.latencyMs.p95, latency_p99_ms: summary.latencyMs.p99 });
    const psis = summary.features.map((f) => f.psi).filter((v): v is number => v !== null);
    if (psis.length > 0) scalars.max_psi = Math.max(...psis);
    const report: Metrics = { task: artifact.target.task, partition: 'test', scalars, monitor: summary };
    return { report };
  },
  summarize: ({ report }) => {
    const m = report.monitor!;
    const since = m.driftingSince !== null ? ` since ${new Date(m.driftingSince).toLocaleTimeString()}` : '';
    const latency = m.latencyMs ? ` · p95 ${m.latencyMs.p95.toFixed(1)} ms` : '';
    return { text: `${m.status}${since} · ${m.requests} requests${latency}`, metrics: report.scalars };
  },
});
