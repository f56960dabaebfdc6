import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { endpointServiceWorker } from './src/serving/browser/vite-plugin.ts';

/**
 * No COOP/COEP headers: cross-origin isolation makes tfjs pick the threaded wasm
 * build, which hung in a minified build on these machines (see shared DESIGN.md).
 * The CSP allows only our own origin; 'wasm-unsafe-eval' lets the wasm backend compile.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export default defineConfig({
  // The endpoint service worker is a separate build (dist/sw.js), so tfjs stays out of the main bundle.
  plugins: [react(), endpointServiceWorker()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
  },
  preview: {
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  server: {
    // The dev server injects React Refresh's inline preamble, so dev alone allows inline
    // scripts; what users get (`npm start`, e2e) is the strict policy above.
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") },
  },
});
