import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/**
 * Summarises an endpoint's logged traffic: request volume, latency percentiles, per-feature
 * drift against the live model's training reference (green/amber/red, drifting since) and
 * served predictions against the training target.
 */
export const monitorSpec = defineSpec({
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
});
