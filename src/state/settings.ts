/** User settings kept in localStorage (backend preference, run history size, minimap); `?backend=` overrides per visit. */
import { isBackendPreference } from '../runtime/backend-preference';
import type { BackendPreference } from '../runtime/protocol';
import { RUNS_KEPT_PER_GRAPH } from '../storage/run-limits';

const SETTINGS_KEY = 'pipeline-studio.settings';
export { BACKEND_PREFERENCES, backendFromUrl } from '../runtime/backend-preference';

export interface Settings {
  backendPreference: BackendPreference;
  /** Runs kept per graph in the run history; starred runs are kept on top of these. */
  runsKeptPerGraph: number;
  /** The canvas minimap is shown. */
  minimap: boolean;
}

/** Bounds of the runs-kept setting. */
export const RUNS_KEPT_MIN = 1;
export const RUNS_KEPT_MAX = 1000;

const DEFAULTS: Settings = { backendPreference: 'auto', runsKeptPerGraph: RUNS_KEPT_PER_GRAPH, minimap: false };

export function isRunsKept(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= RUNS_KEPT_MIN && value <= RUNS_KEPT_MAX;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadSettings(): Settings {
  const raw = storage()?.getItem(SETTINGS_KEY);
  if (!raw) return { ...DEFAULTS };
  try {
    const parsed = JSON.parse(raw) as Partial<Settings>;
    return {
      backendPreference: isBackendPreference(parsed.backendPreference) ? parsed.backendPreference : DEFAULTS.backendPreference,
      runsKeptPerGraph: isRunsKept(parsed.runsKeptPerGraph) ? parsed.runsKeptPerGraph : DEFAULTS.runsKeptPerGraph,
      minimap: typeof parsed.minimap === 'boolean' ? parsed.minimap : DEFAULTS.minimap,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(settings: Settings): void {
  storage()?.setItem(SETTINGS_KEY, JSON.stringify(settings));
}
