#!/usr/bin/env node
/**
 * npm's `prepare`: run after `npm install` from git (so a git dependency gets its dist/) and after `npm ci` in a
 * clone. It builds dist/ only (`npm run build:dist`: the committed GTM container is left as it is), and only when
 * dist/ is missing: with dist/ present it does nothing, so `npm pack` (run by publint
 * and attw in the tests) never rebuilds dist/ under the tests reading it. `npm publish` rebuilds anyway
 * (prepublishOnly), so what is published is always fresh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
if (!existsSync(new URL('dist/index.js', root))) {
  const build = spawnSync('npm', ['run', 'build:dist'], { cwd: root, stdio: 'inherit' });
  process.exitCode = build.status ?? 1;
}
