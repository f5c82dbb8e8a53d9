/**
 * The verdict of `npm start -- --once`: did every destination get every action of the conversation exactly
 * once, as the same event? Pure functions, so the verdict itself is tested without a browser.
 */

// The conversation the demo plays, in order: the same whole conversation as the stand-in's (its buttons call the
// stand-in's steps one by one).
import { FULL_CONVERSATION_ACTIONS as CONVERSATION } from '../support/kustomer-stand-in.js';

export { CONVERSATION };

export const COLUMNS = [
  { key: 'dataLayer', title: 'dataLayer' },
  { key: 'segment', title: 'Segment' },
  { key: 'rudderstack', title: 'RudderStack' },
  { key: 'ga4', title: 'GA4' },
];

/**
 * @param names     { [action]: { dataLayer, segment, rudderstack, ga4 } } the name each destination uses
 * @param received  { dataLayer: [{ name, id }], segment: [...], rudderstack: [...], ga4: [...] }
 */
export function compare(names, received) {
  const rows = CONVERSATION.map((action) => {
    const cells = {};
    const ids = new Set();
    for (const { key } of COLUMNS) {
      const hits = (received[key] ?? []).filter((item) => item.name === names[action][key]);
      cells[key] = { name: names[action][key], count: hits.length };
      for (const hit of hits) ids.add(hit.id);
    }
    // The event id travels with every destination: one id per action means one event, not look-alikes.
    return { action, cells, idsAgree: ids.size === 1 };
  });
  const known = new Set(CONVERSATION.flatMap((action) => COLUMNS.map(({ key }) => `${key}|${names[action][key]}`)));
  const unexpected = COLUMNS.flatMap(({ key, title }) =>
    (received[key] ?? []).filter((item) => !known.has(`${key}|${item.name}`)).map((item) => `${title}: ${item.name}`),
  );
  const complete = rows.every((row) => Object.values(row.cells).every((cell) => cell.count === 1));
  return { rows, unexpected, ok: complete && unexpected.length === 0 && rows.every((row) => row.idsAgree) };
}

function cellText({ name, count }) {
  if (count === 0) return 'MISSING';
  return count === 1 ? name : `${name} (x${count})`;
}

export function formatTable(report) {
  const header = ['action', ...COLUMNS.map((column) => column.title)];
  const lines = report.rows.map((row) => [row.action, ...COLUMNS.map(({ key }) => cellText(row.cells[key]))]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ').trimEnd();
  const out = [format(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...lines.map(format)];
  for (const row of report.rows) {
    if (!row.idsAgree && Object.values(row.cells).every((cell) => cell.count === 1)) out.push(`${row.action}: the destinations got different event ids`);
  }
  for (const item of report.unexpected) out.push(`unexpected event: ${item}`);
  out.push(
    report.ok
      ? 'OK: every destination got every action exactly once, with the same event id.'
      : 'FAILED: some destination missed an action, got one twice, or got an unexpected event.',
  );
  return out.join('\n');
}
