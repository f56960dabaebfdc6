/** The compute backend the editor asks the engine worker for. */
import { errorMessage } from '../engine/errors';
import type { BackendPreference } from '../runtime/protocol';
import { getEngine } from './engine';
import { backendFromUrl } from './settings';
import { editorStore } from './store';

/** Picks the backend: `?backend=` in the address wins over the saved setting. */
export function effectiveBackendPreference(): BackendPreference {
  return backendFromUrl(typeof location === 'undefined' ? '' : location.search) ?? editorStore.getState().settings.backendPreference;
}

export async function initBackend(preference = effectiveBackendPreference()): Promise<void> {
  try {
    const engine = await getEngine();
    editorStore.getState().setBackend(await engine.init(preference));
  } catch (error) {
    editorStore.getState().setBackend(null, errorMessage(error));
  }
}
