import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tf as injectedTf } from '../ml/tf';
import { type BackendPlatform, type Candidate, chooseBackend, initBackend, isSoftwareRenderer } from './backend';
import { isBackendPreference } from './backend-preference';
import { nodeBackendPlatform } from './backend-node';
import type { BackendName } from './protocol';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0)';

describe('isSoftwareRenderer', () => {
  it('sees through software renderers and accepts real GPUs', () => {
    expect(isSoftwareRenderer(SWIFTSHADER)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer(NVIDIA)).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });
});

describe('chooseBackend', () => {
  const noGpuMachine: Candidate[] = [
    { name: 'webgpu', available: true, software: true, note: 'fallback adapter: swiftshader' },
    // Even a (misleadingly) fast probe on SwiftShader must not win.
    { name: 'webgl', available: true, software: true, note: SWIFTSHADER, probeMs: 0.5 },
    { name: 'wasm', available: true, probeMs: 1.2 },
    { name: 'cpu', available: true, probeMs: 6.3 },
  ];

  it('picks wasm over a SwiftShader WebGL/WebGPU and says why', () => {
    const choice = chooseBackend('auto', noGpuMachine);
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toMatch(/WebGPU and WebGL are software-rendered/);
    expect(choice.reason).toMatch(/wasm is the fastest \(probe 1\.20 ms vs cpu 6\.30 ms\)/);
  });

  it('lets a real GPU win when it probes faster than the CPU side, or when the CPU side was not measured', () => {
    const choice = chooseBackend('auto', [
      { name: 'webgpu', available: false, note: 'navigator.gpu is missing' },
      { name: 'webgl', available: true, software: false, note: NVIDIA, probeMs: 0.8 },
      { name: 'wasm', available: true, probeMs: 1.2 },
      { name: 'cpu', available: true, probeMs: 6.3 },
    ]);
    expect(choice).toEqual({ name: 'webgl', reason: `WebGL runs on a hardware GPU (${NVIDIA})` });
    expect(chooseBackend('auto', [{ name: 'webgl', available: true, note: NVIDIA, probeMs: 2.5 }, { name: 'wasm', available: true }]).name).toBe('webgl');
  });

  it('keeps wasm when a hardware GPU probes slower (the H200 measurement: WebGPU 1.26 ms vs wasm 0.22 ms) and says so', () => {
    const choice = chooseBackend('auto', [
      { name: 'webgpu', available: true, software: false, note: 'nvidia', probeMs: 1.26 },
      { name: 'wasm', available: true, probeMs: 0.22 },
      { name: 'cpu', available: true, probeMs: 43.4 },
    ]);
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toBe('WebGPU runs on a hardware GPU (nvidia) but probed slower for small models (1.26 ms vs wasm 0.22 ms); wasm is the fastest (probe 0.22 ms vs cpu 43.40 ms)');
  });

  it('between two hardware GPU backends, the faster probe wins', () => {
    const choice = chooseBackend('auto', [
      { name: 'webgpu', available: true, note: 'nvidia', probeMs: 3 },
      { name: 'webgl', available: true, note: NVIDIA, probeMs: 1 },
      { name: 'wasm', available: true, probeMs: 1.2 },
    ]);
    expect(choice.name).toBe('webgl');
  });

  it('picks cpu when it probes faster than wasm', () => {
    expect(chooseBackend('auto', [{ name: 'wasm', available: true, probeMs: 9 }, { name: 'cpu', available: true, probeMs: 3 }]).name).toBe('cpu');
  });

  it('prefers wasm when nothing was measured, and cpu when nothing else exists', () => {
    expect(chooseBackend('auto', [{ name: 'wasm', available: true }, { name: 'cpu', available: true }]).name).toBe('wasm');
    expect(chooseBackend('auto', [{ name: 'wasm', available: false }]).name).toBe('cpu');
  });

  it('honours a forced choice, even a slow software one, with a warning', () => {
    expect(chooseBackend('cpu', noGpuMachine)).toEqual({ name: 'cpu', reason: 'cpu chosen in settings' });
    const webgl = chooseBackend('webgl', noGpuMachine);
    expect(webgl.name).toBe('webgl');
    expect(webgl.reason).toMatch(/renders in software.*slow/);
  });

  it('falls back to auto when the forced backend is missing, saying so', () => {
    const choice = chooseBackend('webgpu', [
      { name: 'webgpu', available: false, note: 'navigator.gpu is missing' },
      { name: 'wasm', available: true, probeMs: 1 },
      { name: 'cpu', available: true, probeMs: 2 },
    ]);
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toMatch(/^WebGPU was requested but is not available \(navigator\.gpu is missing\); wasm is the fastest/);
  });

  it('recognises preferences', () => {
    expect(isBackendPreference('auto')).toBe(true);
    expect(isBackendPreference('wasm')).toBe(true);
    expect(isBackendPreference('tpu')).toBe(false);
    expect(isBackendPreference(undefined)).toBe(false);
  });
});

describe('initBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('never loads a software-rendered GPU backend under auto', async () => {
    const registered: BackendName[] = [];
    const platform: BackendPlatform = {
      kinds: ['webgl', 'cpu'],
      detect: async (name) => (name === 'webgl' ? { available: true, software: true, note: SWIFTSHADER } : { available: true }),
      register: async (name) => {
        registered.push(name);
      },
    };
    const info = await initBackend(tf, 'auto', platform);
    expect(registered).toEqual([]);
    expect(info.name).toBe('cpu');
    const webgl = info.candidates.find((c) => c.name === 'webgl');
    expect(webgl).toMatchObject({ available: true, software: true });
    expect(webgl?.probeMs).toBeUndefined();
    expect(info.candidates.find((c) => c.name === 'cpu')?.probeMs).toBeGreaterThan(0);
  });

  it('marks a backend that fails to start as unavailable and carries on', async () => {
    const platform: BackendPlatform = {
      kinds: ['wasm', 'cpu'],
      detect: async () => ({ available: true }),
      register: async () => {
        throw new Error('wasm binary missing');
      },
    };
    const info = await initBackend(tf, 'wasm', platform);
    expect(info.name).toBe('cpu');
    expect(info.candidates.find((c) => c.name === 'wasm')).toMatchObject({ available: false, note: 'wasm binary missing' });
    expect(info.reason).toMatch(/wasm was requested but is not available \(wasm binary missing\)/);
  });

  it('probes wasm and cpu in Node, activates the faster one and provides tf to the nodes', async () => {
    const before = tf.memory().numTensors;
    const info = await initBackend(tf, 'auto', nodeBackendPlatform);
    const probed = info.candidates.filter((c) => c.probeMs !== undefined);
    expect(probed.map((c) => c.name).sort()).toEqual(['cpu', 'wasm']);
    const fastest = probed.reduce((a, b) => (b.probeMs! < a.probeMs! ? b : a));
    expect(info.name).toBe(fastest.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(injectedTf()).toBe(tf);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses a forced wasm backend in Node without probing', async () => {
    const info = await initBackend(tf, 'wasm', nodeBackendPlatform);
    expect(info).toMatchObject({ name: 'wasm', preference: 'wasm', reason: 'wasm chosen in settings' });
    expect(info.candidates.every((c) => c.probeMs === undefined)).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
  });

  it('falls back when webgl is forced in Node', async () => {
    const info = await initBackend(tf, 'webgl', nodeBackendPlatform);
    expect(info.name).not.toBe('webgl');
    expect(info.reason).toMatch(/^WebGL was requested but is not available/);
  });
});
