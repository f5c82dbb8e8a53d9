/**
 * `npm start` works for a newcomer without Chromium (macOS, a non-root Linux user): its prestart readies
 * everything but the browser, the server needs none, and stopping it stops the server. Chromium is needed only by
 * `npm start -- --once`, the tests and the benchmark.
 *
 * The real prestart would rebuild dist/ under the other test files, so the script runs in a scratch copy of the
 * repository's layout whose `build:dist` only leaves a mark; Chromium is pointed at a path that does not exist.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/e2e-page.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const scratch = mkdtempSync(path.join(tmpdir(), 'kca-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The demo's URL, once the child (the demo server, or npm running it) prints it. */
function printedUrl(child) {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${output}`)), 60_000);
    const read = (chunk) => {
      output += chunk;
      const match = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`exited before serving:\n${output}`)));
  });
}

describe('npm start without Chromium', () => {
  it('prestart readies the demo without asking for Chromium', () => {
    expect(pkg.scripts.prestart).toBe('bash scripts/ensure-env.sh --no-browser');
    mkdirSync(path.join(scratch, 'scripts'));
    mkdirSync(path.join(scratch, 'node_modules/.bin'), { recursive: true });
    copyFileSync(path.join(repoRoot, 'scripts/ensure-env.sh'), path.join(scratch, 'scripts/ensure-env.sh'));
    // Installed modules, up to date with the lock file; a build that leaves a mark.
    writeFileSync(path.join(scratch, 'node_modules/.bin/vitest'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(scratch, 'package-lock.json'), '{}');
    writeFileSync(path.join(scratch, 'node_modules/.package-lock.json'), '{}');
    utimesSync(path.join(scratch, 'package-lock.json'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { 'build:dist': 'node -e "require(\'fs\').writeFileSync(\'built\', \'\')"' } }));
    const env = { ...process.env, ENSURE_ENV_CHROMIUM: path.join(scratch, 'no-chromium-here') };
    const script = ['scripts/ensure-env.sh', ...pkg.scripts.prestart.split(' ').slice(2)];

    const start = spawnSync('bash', script, { cwd: scratch, env, encoding: 'utf8' });
    expect(start.status, start.stderr).toBe(0);
    expect(existsSync(path.join(scratch, 'built'))).toBe(true);
    expect(start.stdout + start.stderr).not.toMatch(/chromium/i);

    // The check is real: `npm test`'s prestep, as a non-root user, stops and says what to install.
    if (process.getuid?.() !== 0) {
      const test = spawnSync('bash', ['scripts/ensure-env.sh'], { cwd: scratch, env, encoding: 'utf8' });
      expect(test.status).toBe(1);
      expect(test.stderr).toContain('Chromium is missing');
    }
  });

  it('serves the demo, and Ctrl+C stops the server', async () => {
    // What `npm start` runs after its prestart; its own process group, as a terminal's foreground job.
    const server = spawn(process.execPath, ['demo/server.js'], { cwd: repoRoot, env: { ...process.env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
    const url = await printedUrl(server);
    try {
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      process.kill(-server.pid, 'SIGINT');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('stopping npm start by its pid stops the demo server too', async () => {
    // `npm start` as a script or a supervisor runs it: npm, then `sh -c node demo/server.js` under it. Its own
    // process group, so that whatever is left can be cleaned up; --ignore-scripts skips prestart (the build).
    const npm = spawn('npm', ['start', '--ignore-scripts'], { cwd: repoRoot, env: { ...process.env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await printedUrl(npm);
      expect((await fetch(`${url}/`)).status).toBe(200);
      process.kill(npm.pid, 'SIGTERM');
      // The server notices within a quarter second that its parent is gone; give it two.
      let closed = false;
      for (let i = 0; i < 20 && !closed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        closed = await fetch(`${url}/`).then(() => false, () => true);
      }
      expect(closed, `the demo server still answers at ${url} after npm was stopped`).toBe(true);
    } finally {
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // nothing of the group is left
      }
    }
  });
});
