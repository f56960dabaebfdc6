/**
 * Documentation screenshots (docs/screenshots/*.png), not part of `npm test`:
 *   npm run screenshots          (builds, then runs e2e-docs/*.spec.ts against the preview server)
 * Same browser, server and CSP guard as the e2e tests; one worker so the pictures are stable.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import base from '../playwright.config';

export default defineConfig({
  ...base,
  testDir: '.',
  workers: 1,
  timeout: 300_000,
  // A web server starts in its config file's folder: serve the repository's dist/, not e2e-docs/dist/.
  webServer: { ...(base.webServer as Exclude<PlaywrightTestConfig['webServer'], unknown[] | undefined>), cwd: fileURLToPath(new URL('..', import.meta.url)) },
});
