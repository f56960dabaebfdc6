/**
 * Backend platform for the browser worker. The wasm binaries are bundled as assets of the
 * app itself (Vite `?url`), never fetched from a CDN; WebGPU's package is imported only
 * when it is about to be probed or used, so it stays out of the worker's start-up cost.
 */
import type { Tf } from '../ml/tf';
import { type BackendPlatform, type Detection, isSoftwareRenderer } from './backend';
import { registerWasmTrainingKernels } from '../ml/wasm-grads';
import { WASM_PATHS } from './wasm-paths';

const registered = new Set<string>();

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; description?: string; device?: string }>;
}

async function detectWebgpu(): Promise<Detection> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { available: false, note: 'navigator.gpu is missing' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { available: false, note: 'no WebGPU adapter' };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const fallback = adapter.isFallbackAdapter === true || (adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  return { available: true, software: fallback || isSoftwareRenderer(description), note: fallback ? `fallback adapter: ${description}` : description };
}

function detectWebgl(): Detection {
  if (typeof OffscreenCanvas === 'undefined') return { available: false, note: 'OffscreenCanvas is missing in this worker' };
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return { available: false, note: 'no WebGL context' };
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer');
    return { available: true, software: isSoftwareRenderer(renderer), note: renderer };
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

export const browserBackendPlatform: BackendPlatform = {
  kinds: ['webgpu', 'webgl', 'wasm', 'cpu'],
  async detect(name) {
    switch (name) {
      case 'webgpu':
        return detectWebgpu();
      case 'webgl':
        return detectWebgl();
      case 'wasm':
        return typeof WebAssembly === 'object' ? { available: true } : { available: false, note: 'WebAssembly is missing' };
      default:
        return { available: true };
    }
  },
  async register(name, tf: Tf) {
    if (registered.has(name)) return;
    if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(WASM_PATHS);
      // The threaded build needs COOP/COEP (which we never send) and hung in minified builds.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      registerWasmTrainingKernels(tf);
    } else if (name === 'webgpu') {
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    registered.add(name);
  },
};
