/**
 * The build's own Content-Security-Policy: dist/ served by a plain static server that sends
 * no security headers at all (not `vite preview`) still runs under the policy, because it
 * ships in index.html. The app works, an injected inline script is refused, and no request
 * leaves the origin.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';

const DIST = join(import.meta.dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
};

/** Files from dist/ with a content type and nothing else: no CSP header. */
function plainStaticServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('dist/ served without any CSP header still runs under the policy shipped in index.html', async ({ page }) => {
  const server = await plainStaticServer();
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const foreign: string[] = [];
    await page.context().route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin !== origin) {
        foreign.push(url);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const response = await page.goto(`${origin}/`);
    expect(response!.headers()['content-security-policy'], 'the server sends no CSP header').toBeUndefined();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');

    const outcome = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string | null }>((resolve) => {
          let violated: string | null = null;
          document.addEventListener('securitypolicyviolation', (event) => (violated = event.effectiveDirective), { once: true });
          const script = document.createElement('script');
          script.textContent = 'window.__injected = true';
          document.head.append(script);
          setTimeout(() => resolve({ ran: (window as { __injected?: boolean }).__injected === true, violated }), 200);
        }),
    );
    expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
    expect(foreign, 'requests to other origins').toEqual([]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
