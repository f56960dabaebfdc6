import { defineConfig } from '@playwright/test';

/** Debian's Chromium (Playwright cannot download browsers here); see scripts/ensure-chromium.mjs. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PORT = Number(process.env.E2E_PORT ?? 4179);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // Spec files run side by side (two workers, each test in its own browser context with its
  // own IndexedDB and service worker); the tests of one file run in order.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  // A test that passes only on a second try is a failing test.
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    viewport: { width: 1400, height: 900 },
  },
  projects: [
    { name: 'e2e', testIgnore: /big-data\.spec\.ts$/ },
    // big-data counts the main thread's long tasks while a million rows ingest: it runs after
    // every other spec, with no other browser of the suite competing for the cores. It is
    // skipped when another spec failed; run it by itself with `--no-deps` (without, its file
    // filter runs the whole e2e project first).
    { name: 'alone', testMatch: /big-data\.spec\.ts$/, dependencies: ['e2e'] },
  ],
  webServer: {
    // Serves the production build (npm run test:e2e builds first) with the same CSP as `npm start`.
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
