/**
 * The backend a user asks for: 'auto' or one backend by name. Read from settings, from
 * `?backend=` and from the CLI's --backend; tfjs-free, so the main thread can load it.
 */
import type { BackendPreference } from './protocol';

/** In the order the settings menu lists them. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'wasm', 'webgl', 'webgpu', 'cpu'];

export function isBackendPreference(value: unknown): value is BackendPreference {
  return typeof value === 'string' && (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** `?backend=wasm` (or webgl, webgpu, cpu, auto) in the address forces a backend for this page load. */
export function backendFromUrl(search: string): BackendPreference | null {
  const value = new URLSearchParams(search).get('backend');
  return isBackendPreference(value) ? value : null;
}
