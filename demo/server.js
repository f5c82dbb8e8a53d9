#!/usr/bin/env node
/**
 * The live demo: a page with a Kustomer chat stand-in, one tracker, and what reached each destination.
 *
 *   npm start                      serves http://127.0.0.1:4477 (PORT=… to change) until Ctrl+C
 *   npm start -- --once            plays the conversation in headless Chromium, prints a table of what each
 *                                  destination got, saves reports/demo.png; exits 0 only if each got every action
 *                                  once, no chat text reached any, and the page called no host but 127.0.0.1
 *   node demo/server.js --once --screenshot=/tmp/demo.png     the screenshot somewhere else
 *   npm run docs:demo              --once, with the screenshot the README shows, docs/demo.png
 *
 * With --once and no PORT, a free port is used, so it runs next to an open demo.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSdkBundles } from '../support/sdk-bundles.js';
import { startDemoServer } from './collector.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PORT = 4477;

function option(name) {
  const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : true;
}

async function main() {
  const once = option('once') === true;
  if (!existsSync(path.join(repoRoot, 'dist/index.js'))) {
    console.error('dist/ is missing: run `npm run build` (or `npm start`, which builds first).');
    return 1;
  }
  // `npm start` readies no Chromium (it serves the demo to your browser); --once drives headless Chromium.
  if (once && spawnSync('bash', [path.join(repoRoot, 'scripts/ensure-env.sh'), '--browser-only'], { stdio: 'inherit' }).status !== 0) return 1;
  const port = process.env.PORT !== undefined ? Number(process.env.PORT) : once ? 0 : DEFAULT_PORT;
  const { file: sdkFile } = await buildSdkBundles();
  let server;
  try {
    server = await startDemoServer({ port, sdkFile });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(`Port ${port} is in use: run with another one, e.g. PORT=${port + 1} npm start`);
    return 1;
  }

  if (!once) {
    // Ctrl+C, or a SIGTERM from whoever started it (npm passes it on): close the server, then exit.
    const stop = () => server.close().finally(() => process.exit(0));
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stop);
    // npm runs this under `sh -c`, which does not pass a SIGTERM on: when npm (or whoever started it) is killed,
    // the shell dies and this process is handed to another parent. Stop then too, so no server is left behind.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 250).unref();
    console.log(`Kustomer chat analytics demo: open ${server.url}/ in your browser (Ctrl+C to stop)`);
    return undefined;
  }

  const screenshot = path.resolve(typeof option('screenshot') === 'string' ? option('screenshot') : path.join(repoRoot, 'reports/demo.png'));
  try {
    const { runOnce } = await import('./once.js');
    return (await runOnce({ url: `${server.url}/`, collected: server.collected, screenshot })) ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
