/**
 * The endpoint service worker (scope '/'): answers same-origin requests to
 * /api/endpoints/<name>/{predict,health,metrics,schema,drift} from the endpoint's live model
 * in IndexedDB, with tfjs on the wasm backend (cpu when wasm cannot start). Every other
 * request goes to the network untouched. Built by Vite as its own file, /sw.js, so tfjs
 * never enters the main bundle.
 */
/// <reference lib="webworker" />
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, type BackendPlatform } from '../../runtime/backend';
import { WASM_PATHS } from '../../runtime/wasm-paths';
import { getDb } from '../../storage/db';
import { DexieEndpointStore } from '../../storage/endpoints';
import { DexieModelStore } from '../../storage/models';
import { DEFAULT_LIMITS } from '../validate';
import { createEndpointRouter, ENDPOINTS_PREFIX } from './router';
import { errorMessage } from '../../engine/errors';

declare const self: ServiceWorkerGlobalScope;

const platform: BackendPlatform = {
  kinds: ['wasm', 'cpu'],
  detect: async (name) => (name === 'wasm' && typeof WebAssembly !== 'object' ? { available: false, note: 'WebAssembly is missing' } : { available: true }),
  async register(name, tf) {
    if (name !== 'wasm') return;
    setWasmPaths(WASM_PATHS);
    // The threaded build needs cross-origin isolation, which this app never turns on.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  },
};

let backend: Promise<string> | null = null;
const ensureBackend = () => (backend ??= initBackend(tfjs, 'wasm', platform).then((info) => info.name));

const db = getDb();
const router = createEndpointRouter({ endpoints: new DexieEndpointStore(db), models: new DexieModelStore(db), ensureBackend });

const jsonError = (status: number, error: string) =>
  new Response(`${JSON.stringify({ error })}\n`, { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });

async function answer(request: Request): Promise<Response> {
  try {
    const method = request.method.toUpperCase();
    let body: Uint8Array | undefined;
    let bodyTooLarge = false;
    if (method === 'POST' || method === 'PUT') {
      const bytes = new Uint8Array(await request.arrayBuffer());
      bodyTooLarge = bytes.byteLength > DEFAULT_LIMITS.maxBytes;
      body = bodyTooLarge ? new Uint8Array(0) : bytes;
    }
    const url = new URL(request.url);
    const response = await router.handle({ method, url: `${url.pathname}${url.search}`, body, bodyTooLarge, contentType: request.headers.get('content-type') ?? undefined });
    if (!response) return jsonError(404, `no route ${url.pathname}`);
    return new Response(method === 'HEAD' ? null : response.body, { status: response.status, headers: { ...response.headers, 'cache-control': 'no-store' } });
  } catch (error) {
    // The router answers every expected failure itself; this is a bug, but the worker keeps serving.
    return jsonError(500, `internal error: ${errorMessage(error)}`);
  }
}

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  // Take over open pages at once, so their fetches reach the endpoints without a reload.
  event.waitUntil(self.clients.claim());
});

// A page that loaded while this worker was activating missed the claim above: it asks again.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'claim') event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname !== ENDPOINTS_PREFIX && !url.pathname.startsWith(`${ENDPOINTS_PREFIX}/`)) return;
  event.respondWith(answer(event.request));
});
