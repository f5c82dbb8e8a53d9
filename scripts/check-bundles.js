#!/usr/bin/env node
/**
 * Scans every built bundle in dist/ for code a strict Content-Security-Policy (no 'unsafe-eval') or a careful
 * host page would refuse: eval, the Function constructor, string timers, and HTML injection sinks.
 * Each file is parsed with acorn and its syntax tree walked, so names inside strings and comments do not count.
 *
 *   node scripts/check-bundles.js          # exits 1 and lists findings when any
 *   import { scanBundles } from './scripts/check-bundles.js'   // used by test/reliability/security.test.js
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import entryPoints from '../entry-points.cjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript']);
const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
const HTML_METHODS = new Set(['write', 'writeln', 'insertAdjacentHTML', 'createContextualFragment', 'parseFromString']);

/** The name a callee ends with: `eval`, `window.eval`, `globalThis['setTimeout']`, `(0, eval)`. */
function calleeName(node) {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') {
    if (!node.computed && node.property.type === 'Identifier') return node.property.name;
    if (node.computed && node.property.type === 'Literal') return String(node.property.value);
  }
  if (node.type === 'SequenceExpression') return calleeName(node.expressions[node.expressions.length - 1]);
  if (node.type === 'ChainExpression') return calleeName(node.expression);
  return undefined;
}

/** A first timer argument that is code in a string: a string literal, a template, or a concatenation with one. */
function isStringCode(node) {
  if (!node) return false;
  if (node.type === 'Literal') return typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return true;
  if (node.type === 'BinaryExpression' && node.operator === '+') return isStringCode(node.left) || isStringCode(node.right);
  return false;
}

function walk(node, visit) {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (Array.isArray(child)) child.forEach((item) => walk(item, visit));
    else if (child && typeof child.type === 'string') walk(child, visit);
  }
}

/** Findings in one file's source: `{ rule, line, code }`. */
/**
 * `node`: a file that only runs in Node (the server path, its command): HTML sinks and dynamic imports are browser
 * concerns there (`process.stdout.write`, an optional `import('node:crypto')`); eval and its kin still count.
 */
export function scanSource(source, { module = true, node: nodeOnly = false } = {}) {
  let ast;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: module ? 'module' : 'script', locations: true, allowHashBang: true });
  } catch {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true });
  }
  const findings = [];
  let nodes = 0;
  const add = (rule, node) => findings.push({ rule, line: node.loc.start.line, code: source.slice(node.start, Math.min(node.end, node.start + 80)) });
  walk(ast, (node) => {
    nodes++;
    if (node.type === 'Identifier' && node.name === 'eval') add('eval', node);
    if (node.type === 'MemberExpression' && node.computed && calleeName(node) === 'eval') add('eval', node);
    if ((node.type === 'NewExpression' || node.type === 'CallExpression') && calleeName(node.callee) === 'Function') add('Function constructor', node);
    // (function () {}).constructor('code') reaches the Function constructor too
    if (node.type === 'CallExpression' && calleeName(node.callee) === 'constructor' && node.arguments.some(isStringCode)) add('Function constructor', node);
    if (node.type === 'CallExpression' && TIMERS.has(calleeName(node.callee)) && isStringCode(node.arguments[0])) add('string timer', node);
    if (nodeOnly) return;
    if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && HTML_PROPERTIES.has(calleeName(node.left))) add('HTML sink', node);
    if (node.type === 'CallExpression' && HTML_METHODS.has(calleeName(node.callee))) add('HTML sink', node);
    if (node.type === 'ImportExpression') add('dynamic import', node);
  });
  return { findings, nodes };
}

function bundleFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      if (name !== 'types') files.push(...bundleFiles(file));
    } else if (/\.(c|m)?js$/.test(name)) files.push(file);
  }
  return files.sort();
}

/** The built files that only run in Node, relative to the package root. */
export const NODE_ONLY_FILES = [
  ...entryPoints.ENTRY_POINTS.filter((entry) => entry.platform === 'node').flatMap((entry) => [entryPoints.distFiles(entry).esm, entryPoints.distFiles(entry).cjs]),
  entryPoints.SERVER_BIN.file,
];

/** Every .js/.cjs/.mjs file under dist/ (type declarations aside), with its findings. */
export function scanBundles(dir = path.join(repoRoot, 'dist')) {
  return bundleFiles(dir).map((file) => {
    const source = readFileSync(file, 'utf8');
    const node = NODE_ONLY_FILES.includes(path.relative(repoRoot, file));
    const { findings, nodes } = scanSource(source, { module: !file.endsWith('.cjs'), node });
    return { file: path.relative(repoRoot, file), bytes: Buffer.byteLength(source), nodes, findings };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = scanBundles();
  const bad = results.filter((result) => result.findings.length);
  for (const result of results) console.log(`${result.findings.length ? 'FAIL' : 'ok  '} ${result.file} (${result.bytes} bytes)`);
  for (const result of bad) for (const finding of result.findings) console.log(`  ${result.file}:${finding.line} ${finding.rule}: ${finding.code}`);
  if (!results.length) console.log('no bundles in dist/: run npm run build');
  process.exit(bad.length || !results.length ? 1 : 0);
}
