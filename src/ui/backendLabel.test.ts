import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../runtime/protocol';
import { backendDetail, backendHeadline } from './backendLabel';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))';
const noGpu: BackendInfo['candidates'] = [
  { name: 'webgpu', available: false, note: 'navigator.gpu is missing' },
  { name: 'webgl', available: true, software: true, note: SWIFTSHADER },
  { name: 'wasm', available: true, probeMs: 0.4 },
  { name: 'cpu', available: true, probeMs: 12 },
];
const withGpu: BackendInfo['candidates'] = [
  { name: 'webgpu', available: true, probeMs: 1.3, note: 'nvidia' },
  { name: 'webgl', available: true, note: 'NVIDIA H200' },
  { name: 'wasm', available: true, probeMs: 0.2 },
  { name: 'cpu', available: true, probeMs: 40 },
];
const info = (name: BackendInfo['name'], preference: BackendInfo['preference'], candidates = noGpu): BackendInfo => ({ name, preference, reason: 'because', candidates });

describe('backendHeadline', () => {
  it('says in plain words where the numbers are computed, and whether a GPU was found', () => {
    expect(backendHeadline(info('wasm', 'auto'))).toBe('Computing on WebAssembly (CPU) — no GPU found');
    expect(backendHeadline(info('cpu', 'auto'))).toBe('Computing on plain JavaScript (CPU) — no GPU found');
    expect(backendHeadline(info('wasm', 'auto', withGpu))).toBe('Computing on WebAssembly (CPU) — faster than the GPU for models this size');
    expect(backendHeadline(info('webgpu', 'auto', withGpu))).toBe('Computing on the GPU (WebGPU)');
    expect(backendHeadline(info('webgl', 'webgl', withGpu))).toBe('Computing on the GPU (WebGL)');
  });

  it('warns when a GPU backend renders in software, and names a choice made in settings', () => {
    expect(backendHeadline(info('webgl', 'webgl'))).toBe('Computing on WebGL in software — no GPU found, expect it to be slow');
    expect(backendHeadline(info('cpu', 'cpu'))).toBe('Computing on plain JavaScript (CPU) — chosen in settings');
    expect(backendHeadline(info('wasm', 'webgpu'))).toBe('Computing on WebAssembly (CPU) — WebGPU is not available here');
  });

  it('never shows the renderer string; the tooltip keeps it with every probe', () => {
    expect(backendHeadline(info('wasm', 'auto'))).not.toMatch(/ANGLE|SwiftShader/);
    const detail = backendDetail(info('wasm', 'auto'));
    expect(detail).toContain(SWIFTSHADER);
    expect(detail).toContain('wasm: available, probe 0.40 ms');
    expect(detail.split('\n')[0]).toBe('Backend wasm: because');
  });
});
