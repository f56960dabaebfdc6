/**
 * Main thread: registers the endpoint service worker (/sw.js, scope '/') and says when it
 * controls this page (only then do fetches to /api/endpoints/… reach it). No tfjs here.
 */

export const SERVICE_WORKER_URL = 'sw.js';

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

export function registerEndpointWorker(): Promise<ServiceWorkerRegistration | null> {
  registration ??= (async () => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
    const base = import.meta.env.BASE_URL;
    try {
      // In dev the worker is served as a module importing the TypeScript source (see the Vite plugin).
      return await navigator.serviceWorker.register(`${base}${SERVICE_WORKER_URL}`, { scope: base, type: import.meta.env.DEV ? 'module' : 'classic' });
    } catch (error) {
      console.warn('The endpoint service worker could not be registered: /api/endpoints will not answer', error);
      return null;
    }
  })();
  return registration;
}

/** Resolves true once the service worker controls this page (false when it cannot). */
export async function endpointWorkerReady(): Promise<boolean> {
  const registered = await registerEndpointWorker();
  if (!registered) return false;
  const ready = await navigator.serviceWorker.ready;
  if (navigator.serviceWorker.controller) return true;
  // The worker claims open pages when it activates, but a page that loaded (or reloaded) while
  // it was activating is not among them and would wait forever: ask the active worker to claim it.
  const handedOver = new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  ready.active?.postMessage({ type: 'claim' });
  await handedOver;
  return navigator.serviceWorker.controller !== null;
}
