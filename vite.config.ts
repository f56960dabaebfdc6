import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { endpointServiceWorker } from './src/serving/browser/vite-plugin.ts';

/**
 * No COOP/COEP headers: cross-origin isolation makes tfjs pick the threaded wasm
 * build, which hung in a minified build on these machines (see shared DESIGN.md).
 * The CSP allows only our own origin; 'wasm-unsafe-eval' lets the wasm backend compile.
 * It ships inside the build (a <meta> in dist/index.html), so dist/ served by any static
 * server has it; README lists the headers a real server should add.
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

/**
 * What only a header can say (a <meta> policy ignores frame-ancestors): nobody may frame the
 * app. `npm start`/preview send it; README gives it for other servers.
 */
export const FRAME_ANCESTORS = "frame-ancestors 'none'";
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; ${FRAME_ANCESTORS}`;

/**
 * Puts the policy in the built index.html right after <meta charset>, before any script or
 * style. Build only: the dev server's inline React Refresh preamble needs its looser header.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'pipeline-studio:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const charset = /<meta charset="[^"]*"\s*\/?>/i.exec(html);
        if (!charset) throw new Error('index.html needs a <meta charset> for the CSP <meta> to follow');
        const at = charset.index + charset[0].length;
        return `${html.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />${html.slice(at)}`;
      },
    },
  };
}

export default defineConfig({
  // The endpoint service worker is a separate build (dist/sw.js), so tfjs stays out of the main bundle.
  plugins: [react(), endpointServiceWorker(), contentSecurityPolicyMeta()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
  },
  preview: {
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER, 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' },
  },
  server: {
    // The dev server injects React Refresh's inline preamble, so dev alone allows inline
    // scripts; what users get (`npm start`, e2e) is the strict policy above.
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") },
  },
});
