#!/usr/bin/env node
// Playwright cannot download its own browser on these machines: use Debian's Chromium,
// installing it when missing (CI runs as root on a fresh machine).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error('Chromium not found. Install it (e.g. `sudo apt-get install -y chromium`) or set CHROMIUM_PATH.');
  process.exit(1);
}
console.log('chromium: not found, installing Debian package…');
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
if (!existsSync('/usr/bin/chromium')) {
  console.error('apt-get finished but /usr/bin/chromium is missing');
  process.exit(1);
}
console.log('chromium: /usr/bin/chromium (installed)');
