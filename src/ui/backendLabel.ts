/** The compute backend in plain words for the status bar; the probe details go in its tooltip. */
import type { BackendInfo, BackendName } from '../runtime/protocol';

const WHERE: Record<BackendName, string> = {
  wasm: 'WebAssembly (CPU)',
  cpu: 'plain JavaScript (CPU)',
  webgl: 'WebGL',
  webgpu: 'WebGPU',
};

const isGpu = (name: BackendName) => name === 'webgl' || name === 'webgpu';

/** "Computing on WebAssembly (CPU) — no GPU found", "Computing on the GPU (WebGPU)", … */
export function backendHeadline(info: BackendInfo): string {
  const chosen = info.candidates.find((c) => c.name === info.name);
  const hardwareGpu = info.candidates.some((c) => isGpu(c.name) && c.available && !c.software);
  if (isGpu(info.name)) {
    if (chosen?.software) return `Computing on ${WHERE[info.name]} in software — no GPU found, expect it to be slow`;
    return `Computing on the GPU (${WHERE[info.name]})`;
  }
  const head = `Computing on ${WHERE[info.name]}`;
  if (info.preference === info.name) return `${head} — chosen in settings`;
  if (info.preference !== 'auto') return `${head} — ${WHERE[info.preference]} is not available here`;
  return hardwareGpu ? `${head} — faster than the GPU for models this size` : `${head} — no GPU found`;
}

/** The tooltip: why this backend, then every candidate probed. */
export function backendDetail(info: BackendInfo): string {
  const lines = info.candidates.map(
    (c) => `${c.name}: ${c.available ? 'available' : 'unavailable'}${c.software ? ' (software)' : ''}${c.probeMs !== undefined ? `, probe ${c.probeMs.toFixed(2)} ms` : ''}${c.note ? ` — ${c.note}` : ''}`,
  );
  return [`Backend ${info.name}: ${info.reason}`, ...lines].join('\n');
}
