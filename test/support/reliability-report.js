/**
 * Figures the reliability tests measure, turned into a Markdown report: reports/reliability.md (ignored by git),
 * or the file RELIABILITY_REPORT names. `npm run docs:reliability` writes docs/reliability.md with it.
 *
 *   const report = reliabilityReport('fuzz');           // one section per test file, ids in SECTIONS below
 *   report.row({ 'event name': 'onOpen', payloads: 10000, ... });   // a table row, columns in insertion order
 *   report.row({ ... }, 'Well-formed payloads');       // a row of a second, titled table of the section
 *   report.total('payloads', 10000);                   // adds to the summary at the top of the document
 *   report.note('Seed 42; replay with FUZZ_SEED=42.');
 *   afterAll(() => report.save());
 *
 * Test files run in parallel processes: each saves its section as a JSON fragment under
 * test/.cache/reliability/, then, holding a lock directory, merges every fragment into the document. Whichever
 * file finishes last writes the complete document. The document always has the same sections in the same order;
 * a section whose file has not run yet says so.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const FRAGMENTS = path.join(repoRoot, 'test/.cache/reliability');
const LOCK = path.join(FRAGMENTS, '.lock');
const DOC = path.resolve(repoRoot, process.env.RELIABILITY_REPORT || 'reports/reliability.md');

export const SECTIONS = [
  { id: 'fuzz', title: 'Fuzzing in node + jsdom: every event name, every destination', file: 'test/reliability/fuzz.test.ts' },
  { id: 'fuzz-browser', title: 'Fuzzing in real Chromium: the built drop-in', file: 'test/reliability/fuzz-browser.test.js' },
  { id: 'faults', title: 'Faults in node + jsdom', file: 'test/reliability/faults.test.ts' },
  { id: 'faults-browser', title: 'Faults in real Chromium with the real Segment and RudderStack SDKs', file: 'test/reliability/faults-browser.test.js' },
  { id: 'privacy', title: 'Privacy: planted personal data never leaves the page', file: 'test/reliability/privacy.test.js' },
  { id: 'readiness', title: 'Readiness in real Chromium: restarts, isChatAvailable() before start, late drop-in, long sessions', file: 'test/reliability/readiness-browser.test.js' },
  { id: 'consent', title: 'Consent: held or dropped until granted', file: 'test/reliability/consent.test.ts' },
  { id: 'security', title: 'Security: bundles, CSP, globals, prototype pollution', file: 'test/reliability/security.test.js' },
];

/** [key, label, key of the "out of" figure]. */
const TOTALS = [
  ['payloads', 'Generated payloads fired'],
  ['faults', 'Fault scenarios survived', 'faultsTried'],
  ['lost', 'Events lost'],
  ['leaks', 'Planted values found in any output'],
  ['escaped', 'Exceptions that reached Kustomer or the page'],
];

export function reliabilityReport(sectionId) {
  if (!SECTIONS.some((section) => section.id === sectionId)) throw new Error(`unknown reliability section ${sectionId}`);
  const rows = [];
  const notes = [];
  const totals = {};
  return {
    row(values, table = '') {
      rows.push({ table, values });
    },
    total(name, amount) {
      totals[name] = (totals[name] ?? 0) + amount;
    },
    note(text) {
      notes.push(text);
    },
    save() {
      return withLock(() => {
        mkdirSync(FRAGMENTS, { recursive: true });
        writeAtomic(path.join(FRAGMENTS, `${sectionId}.json`), JSON.stringify({ section: sectionId, date: new Date().toISOString(), rows, notes, totals }, null, 2));
        writeAtomic(DOC, renderDocument(readFragments()));
      });
    },
  };
}

function writeAtomic(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function withLock(fn) {
  mkdirSync(FRAGMENTS, { recursive: true });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a crashed run is stale after 10 s.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 10_000 || Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function readFragments() {
  const fragments = {};
  for (const name of readdirSync(FRAGMENTS)) {
    if (!name.endsWith('.json')) continue;
    try {
      const fragment = JSON.parse(readFileSync(path.join(FRAGMENTS, name), 'utf8'));
      fragments[fragment.section] = fragment;
    } catch {
      // a fragment being replaced right now is read at the next save
    }
  }
  return fragments;
}

const cell = (value) => String(value ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(rows) {
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
  ].join('\n');
}

export function renderDocument(fragments) {
  const dates = Object.values(fragments).map((fragment) => fragment.date).sort();
  const sum = (key) => {
    const values = SECTIONS.map((section) => fragments[section.id]?.totals?.[key]).filter((value) => value !== undefined);
    return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  const summary = TOTALS.map(([key, label, outOf]) => {
    const value = sum(key);
    return { figure: label, value: value === undefined ? 'not measured yet' : outOf && sum(outOf) !== undefined ? `${value} of ${sum(outOf)}` : value };
  });
  const parts = [
    '# Reliability, privacy and security',
    '',
    '<!-- Generated by the test run (test/support/reliability-report.js): do not edit by hand. -->',
    '',
    `Generated on ${dates.length ? dates[dates.length - 1].slice(0, 10) : 'never'} by the tests under \`test/reliability/\`. ` +
      'Every figure below is counted while the tests run; a test fails when what it shows stops holding.',
    '',
    'Reproduce: `npm run docs:reliability` (this file), or `npm test`, which writes the same report to `reports/reliability.md`. ' +
      'The fuzz seed is fixed so runs are comparable; `FUZZ_SEED=<n> npx vitest run test/reliability` tries other payloads.',
    '',
    '## Summary',
    '',
    table(summary),
  ];
  for (const section of SECTIONS) {
    const fragment = fragments[section.id];
    parts.push('', `## ${section.title}`, '', `\`${section.file}\``, '');
    if (!fragment) {
      parts.push('_Not recorded yet: run `npm test`._');
      continue;
    }
    const rows = fragment.rows.filter((row) => row && row.values && typeof row.table === 'string');
    for (const name of new Set(rows.map((row) => row.table))) {
      if (name) parts.push(...(parts[parts.length - 1] === '' ? [] : ['']), `### ${name}`, '');
      parts.push(table(rows.filter((row) => row.table === name).map((row) => row.values)));
    }
    if (fragment.notes.length) parts.push('', ...fragment.notes.map((note) => `- ${note}`));
  }
  return `${parts.join('\n')}\n`;
}
