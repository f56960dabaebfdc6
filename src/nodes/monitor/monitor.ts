import { implement } from '../../engine/node';
import type { Metrics } from '../../data/types';
import { inputSchema } from '../../serving/validate';
import { summarizeTraffic } from '../../serving/traffic';
import { monitorSpec } from '../../catalog/monitor/monitor';

const STATUS_LEVEL = { unknown: -1, green: 0, amber: 1, red: 2 } as const;

export const monitor = implement(monitorSpec, {
  run: async ({ inputs, params, services }) => {
    const endpoints = services.endpoints;
    const models = services.models;
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
