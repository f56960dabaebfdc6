/**
 * Picks the tfjs backend. "auto" must not trust a fixed order: on a machine without a GPU,
 * WebGL and WebGPU still exist but render through SwiftShader/llvmpipe in software and are
 * far slower than wasm. So each candidate is detected (software renderer or not), the real
 * ones get a short calibrated matmul probe, and the choice is explained in `reason`.
 *
 * The environment-specific parts (how to detect WebGL, where the .wasm files are) come in
 * through a `BackendPlatform`: src/runtime/backend-browser.ts (worker) and backend-node.ts (CLI).
 */
import type { Tf } from '../ml/tf';
import { provideTf } from '../ml/tf';
import type { BackendInfo, BackendName, BackendPreference } from './protocol';
import { errorMessage } from '../engine/errors';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type Candidate = BackendInfo['candidates'][number];

export interface Detection {
  available: boolean;
  /** Renders on the CPU behind a GPU API (SwiftShader, llvmpipe, a fallback adapter). */
  software?: boolean;
  /** Renderer/adapter description or why it is unavailable. */
  note?: string;
}

export interface BackendPlatform {
  /** Backends this environment can have, e.g. ['wasm', 'cpu'] in Node. */
  kinds: readonly BackendName[];
  /** Looks for the backend without loading it (no tfjs registration). */
  detect(name: BackendName): Promise<Detection>;
  /** Makes tfjs know the backend (dynamic import, wasm paths). Called only for backends about to be probed or used. */
  register(name: BackendName, tf: Tf): Promise<void>;
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };
const isGpu = (name: BackendName) => name === 'webgpu' || name === 'webgl';

/** Renderer strings of software rasterisers posing as GPUs. */
export function isSoftwareRenderer(description: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver|lavapipe/i.test(description);
}

function fastest(candidates: Candidate[], order: readonly BackendName[]): Candidate | undefined {
  const measured = candidates.filter((c) => c.probeMs !== undefined);
  if (measured.length > 0) return measured.reduce((best, c) => (c.probeMs! < best.probeMs! ? c : best));
  return order.map((name) => candidates.find((c) => c.name === name)).find((c) => c !== undefined);
}

function timing(c: Candidate): string {
  return c.probeMs === undefined ? '' : ` ${c.probeMs.toFixed(2)} ms`;
}

/**
 * The decision, as a pure function of what was detected and measured (unit-tested with
 * fake probes). Software GPUs never win "auto"; a real GPU wins unless a CPU-side backend probed
 * faster; otherwise the faster probe wins.
 */
export function chooseBackend(preference: BackendPreference, candidates: Candidate[]): { name: BackendName; reason: string } {
  if (preference !== 'auto') {
    const forced = candidates.find((c) => c.name === preference);
    if (forced?.available) {
      const warning = forced.software ? ` — it renders in software (${forced.note ?? 'no GPU'}), expect it to be slow` : '';
      return { name: preference, reason: `${LABEL[preference]} chosen in settings${warning}` };
    }
    const fallback = chooseBackend('auto', candidates);
    const why = forced?.note ? ` (${forced.note})` : '';
    return { name: fallback.name, reason: `${LABEL[preference]} was requested but is not available${why}; ${fallback.reason}` };
  }

  const available = candidates.filter((c) => c.available);
  const cpuSide = available.filter((c) => !isGpu(c.name));
  const best = fastest(cpuSide, ['wasm', 'cpu']);
  const hardwareGpus = available.filter((c) => isGpu(c.name) && !c.software);
  let gpuNote = '';
  if (hardwareGpus.length > 0) {
    const gpu = fastest(hardwareGpus, ['webgpu', 'webgl'])!;
    const onGpu = `${LABEL[gpu.name]} runs on a hardware GPU${gpu.note ? ` (${gpu.note})` : ''}`;
    // A GPU pays a dispatch and read-back cost per step that small models never earn back
    // (measured on an H200: WebGPU trained the dense examples 4-7x slower than wasm), so it
    // wins only when it also probes faster, or when nothing on the CPU side was measured.
    const slower = best?.probeMs !== undefined && gpu.probeMs !== undefined && gpu.probeMs > best.probeMs;
    if (!slower) return { name: gpu.name, reason: onGpu };
    gpuNote = `${onGpu} but probed slower for small models (${timing(gpu).trim()} vs ${best!.name}${timing(best!)}); `;
  }

  const software = available.filter((c) => isGpu(c.name) && c.software);
  const softwareNote = software.length > 0 ? `${software.map((c) => LABEL[c.name]).join(' and ')} ${software.length > 1 ? 'are' : 'is'} software-rendered (${software[0].note ?? 'no GPU'}); ` : '';
  if (!best) return { name: 'cpu', reason: `${softwareNote}nothing else is available: cpu` };
  const others = cpuSide.filter((c) => c !== best && c.probeMs !== undefined);
  const comparison = best.probeMs !== undefined && others.length > 0 ? ` (probe${timing(best)} vs ${others.map((c) => `${c.name}${timing(c)}`).join(', ')})` : '';
  return { name: best.name, reason: `${gpuNote}${softwareNote}${best.name} is the fastest${comparison}` };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Times a small matmul loop on the active backend: one warm-up (shader compile, wasm
 * instantiation), then iterations until ~`budgetMs` has passed. Returns ms per iteration.
 * Each result is read back asynchronously, as training does: a synchronous read on WebGPU
 * takes a slow canvas path (and is missing where OffscreenCanvas is), so it would misjudge a GPU.
 */
export async function probeActiveBackend(tf: Tf, budgetMs = 15, maxIterations = 40): Promise<number> {
  const size = 96;
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
  const step = async () => {
    const total = tf.tidy(() => tf.relu(tf.matMul(a, b)).sum());
    try {
      return (await total.data())[0];
    } finally {
      total.dispose();
    }
  };
  try {
    await step();
    const start = now();
    let iterations = 0;
    while (iterations < maxIterations) {
      await step();
      iterations += 1;
      if (now() - start >= budgetMs) break;
    }
    return (now() - start) / iterations;
  } finally {
    a.dispose();
    b.dispose();
  }
}

async function activate(tf: Tf, name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Detects, probes and activates a backend on `tf`, then hands `tf` to the node catalogue
 * (provideTf). Never throws: the cpu backend is always there as the last resort.
 */
export async function initBackend(tf: Tf, preference: BackendPreference, platform: BackendPlatform): Promise<BackendInfo> {
  const candidates: Candidate[] = [];
  for (const name of BACKEND_NAMES) {
    if (!platform.kinds.includes(name)) continue;
    let detection: Detection;
    try {
      detection = name === 'cpu' ? { available: true } : await platform.detect(name);
    } catch (error) {
      detection = { available: false, note: errorMessage(error) };
    }
    candidates.push({ name, ...detection });
  }

  // Only what could win gets loaded and timed: software GPUs are skipped under "auto".
  const toProbe = candidates.filter((c) => c.available && (preference === 'auto' ? !c.software : c.name === preference));
  for (const candidate of toProbe) {
    try {
      if (candidate.name !== 'cpu') await platform.register(candidate.name, tf);
      if (!(await activate(tf, candidate.name))) throw new Error('failed to initialise');
      if (preference === 'auto') candidate.probeMs = Math.round((await probeActiveBackend(tf)) * 1000) / 1000;
    } catch (error) {
      candidate.available = false;
      candidate.note = `${candidate.note ? `${candidate.note}; ` : ''}${errorMessage(error)}`;
    }
  }

  let { name, reason } = chooseBackend(preference, candidates);
  if (!(await activate(tf, name))) {
    reason = `${LABEL[name]} failed to start; ${reason}; using cpu`;
    name = 'cpu';
    await activate(tf, 'cpu');
  }
  provideTf(tf);
  return { name, preference, reason, candidates };
}
