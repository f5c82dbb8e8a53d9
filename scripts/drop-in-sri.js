#!/usr/bin/env node
/**
 * Prints how to load the built drop-in from a CDN: the versioned URL of this package's
 * dist/kustomer-chat-gtm.min.js (lean) and its Subresource Integrity hash (sha384, base64), as a ready <script> tag,
 * and the same for the full build (GA4-ready pushes, debug messages).
 * Run at the end of `npm run build`. The hash is of the file just built; the file on the CDN is the one in the
 * published tarball, built by `npm publish` (prepublishOnly), so print it from that build.
 * SRI: https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity
 *
 *   node scripts/drop-in-sri.js          the tag, for people
 *   node scripts/drop-in-sri.js --json   { url, integrity }, for tests
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { name, version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const FILE = 'dist/kustomer-chat-gtm.min.js';
const FULL_FILE = 'dist/kustomer-chat-gtm.full.min.js';

const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(new URL(file, root))).digest('base64')}`;
const cdn = (file) => `https://cdn.jsdelivr.net/npm/${name}@${version}/${file}`;
export const integrity = sri(FILE);
export const url = cdn(FILE);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ url, integrity, full: { url: cdn(FULL_FILE), integrity: sri(FULL_FILE) } }));
} else {
  console.log(`drop-in for a CDN (${name}@${version}, once published), lean, then full (data-ga4, data-debug):`);
  console.log(`  <script src="${url}" integrity="${integrity}" crossorigin="anonymous" async></script>`);
  console.log(`  <script src="${cdn(FULL_FILE)}" integrity="${sri(FULL_FILE)}" crossorigin="anonymous" async data-ga4></script>`);
}
