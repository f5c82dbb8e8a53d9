/**
 * `npm run bench`: sizes and runtime costs of the library against the copy-paste GTM listener, in headless
 * Chromium on this machine. Prints a Markdown report and writes it to reports/performance.md, or to the file
 * given as --out=FILE: `npm run docs:performance` writes docs/performance.md. Not a test: its figures depend on the
 * machine; the size budgets are enforced by test/build/size.test.js.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startE2e } from '../support/e2e-page.js';
import { attributeDropIn } from './attribution.js';
import { attachTiming, idleCost, timeToFirstEvent } from './lifecycle.js';
import { heapGrowth } from './memory.js';
import { dataLayerCost, fanOut } from './per-event.js';
import { render } from './report.js';
import { sdkOverhead } from './sdk-overhead.js';
import { serverCost } from './server.js';
import { dropInBytes, packSize, sizes } from './sizes.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const outArg = process.argv.slice(2).find((arg) => arg.startsWith('--out='));
const out = path.resolve(repoRoot, outArg ? outArg.slice('--out='.length) : 'reports/performance.md');

const started = Date.now();
const step = async (label, fn) => {
  process.stderr.write(`bench: ${label}…`);
  const t = Date.now();
  const result = await fn();
  process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  return result;
};

const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
const e2e = await startE2e();
const r = {};
try {
  r.sizes = await step('bundle sizes', sizes);
  r.pack = await step('npm tarball', packSize);
  r.dropInBytes = dropInBytes();
  r.attribution = attributeDropIn();
  r.dataLayer = await step('drop-in vs listener, 2 × 200,000 events per page', () => dataLayerCost(e2e));
  r.fanOut = await step('fan-out to 0-3 destinations', () => fanOut(e2e));
  r.sdk = await step('Segment and RudderStack, real SDKs', () => sdkOverhead(e2e));
  r.idle = await step('idle cost', () => idleCost(e2e));
  r.attach = await step('attach timing', () => attachTiming(e2e));
  r.memory = await step('heap after 1,000,000 events', () => heapGrowth(e2e));
  r.firstEvent = await step('time to first event, widget 10 s late', () => timeToFirstEvent(e2e));
  r.server = await step('webhook handler, Node, and its heap after 200,000 webhooks', serverCost);
} finally {
  await e2e.close();
}

// The library's own cost per event for a destination: its single-destination page minus the stand-in's dispatch.
for (const name of ['segment', 'rudderstack']) r.sdk[name].ownCost = r.fanOut.cost[`1: ${name}`] - r.dataLayer.widget.noop;

r.machine = {
  date: new Date().toISOString(),
  cpu,
  cores: os.cpus().length,
  chromium: `Chromium ${e2e.browser.version()}`,
  node: process.version,
  isolated: r.dataLayer.isolated,
  seconds: Math.round((Date.now() - started) / 1000),
};

const markdown = render(r);
process.stdout.write(`${markdown}\n`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, markdown);
process.stderr.write(`bench: wrote ${path.relative(process.cwd(), out)}\n`);
