/** User settings kept in localStorage (backend preference); `?backend=` overrides per visit. */
import type { BackendPreference } from '../runtime/protocol';

const SETTINGS_KEY = 'pipeline-studio.settings';
export const BACKEND_PREFERENCES: BackendPreference[] = ['auto', 'wasm', 'webgl', 'webgpu', 'cpu'];

export interface Settings {
  backendPreference: BackendPreference;
}

const DEFAULTS: Settings = { backendPreference: 'auto' };

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function isBackendPreference(value: unknown): value is BackendPreference {
  return typeof value === 'string' && (BACKEND_PREFERENCES as string[]).includes(value);
}

export function loadSettings(): Settings {
  const raw = storage()?.getItem(SETTINGS_KEY);
  if (!raw) return { ...DEFAULTS };
  try {
    const parsed = JSON.parse(raw) as Partial<Settings>;
    return { backendPreference: isBackendPreference(parsed.backendPreference) ? parsed.backendPreference : DEFAULTS.backendPreference };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(settings: Settings): void {
  storage()?.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

/** `?backend=wasm` in the address forces a backend for this visit. */
export function backendFromUrl(search: string): BackendPreference | null {
  const value = new URLSearchParams(search).get('backend');
  return isBackendPreference(value) ? value : null;
}
