/**
 * The verdict of `npm start -- --once`: did every destination get every action of the conversation exactly
 * once, as the same event? Pure functions, so the verdict itself is tested without a browser.
 */

// The conversation the demo plays, in order: the same whole conversation as the stand-in's (its buttons call the
// stand-in's steps one by one).
import { FULL_CONVERSATION_ACTIONS as CONVERSATION } from '../support/kustomer-stand-in.js';

export { CONVERSATION };

/** What the demo's webhooks (demo/webhooks.js) report from the server: what Kustomer's servers see of the chat. */
export const SERVER_ACTIONS = ['conversation_started', 'message_sent', 'message_received', 'satisfaction_submitted', 'conversation_ended'];

// `names` is the key of each column's event names; server columns use their destination's names.
export const COLUMNS = [
  { key: 'dataLayer', title: 'dataLayer', names: 'dataLayer' },
  { key: 'segment', title: 'Segment', names: 'segment' },
  { key: 'rudderstack', title: 'RudderStack', names: 'rudderstack' },
  { key: 'ga4', title: 'GA4', names: 'ga4' },
  { key: 'segmentServer', title: 'Segment (server)', names: 'segment', server: true },
  { key: 'rudderstackServer', title: 'RudderStack (server)', names: 'rudderstack', server: true },
  { key: 'ga4Server', title: 'GA4 (server)', names: 'ga4', server: true },
];

/**
 * @param names     { [action]: { dataLayer, segment, rudderstack, ga4 } } the name each destination uses
 * @param received  { dataLayer: [{ name, id }], segment: [...], rudderstack: [...], ga4: [...], segmentServer: [...], ... }
 * A server column expects only SERVER_ACTIONS; its other cells are `expected: false` and must stay empty.
 */
export function compare(names, received) {
  const rows = CONVERSATION.map((action) => {
    const cells = {};
    const ids = new Set();
    for (const column of COLUMNS) {
      const name = names[action][column.names];
      const hits = (received[column.key] ?? []).filter((item) => item.name === name);
      cells[column.key] = { name, count: hits.length, expected: !column.server || SERVER_ACTIONS.includes(action) };
      for (const hit of hits) ids.add(hit.id);
    }
    // The event id travels with every destination: one id per action means one event, not look-alikes.
    return { action, cells, idsAgree: ids.size === 1 };
  });
  const known = new Set(CONVERSATION.flatMap((action) => COLUMNS.filter((column) => !column.server || SERVER_ACTIONS.includes(action)).map((column) => `${column.key}|${names[action][column.names]}`)));
  const unexpected = COLUMNS.flatMap(({ key, title }) =>
    (received[key] ?? []).filter((item) => !known.has(`${key}|${item.name}`)).map((item) => `${title}: ${item.name}`),
  );
  const complete = rows.every((row) => Object.values(row.cells).every((cell) => cell.count === (cell.expected ? 1 : 0)));
  return { rows, unexpected, ok: complete && unexpected.length === 0 && rows.every((row) => row.idsAgree) };
}

function cellText({ name, count, expected }) {
  if (!expected) return count === 0 ? '-' : `${name} (x${count}, not expected)`;
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
    if (!row.idsAgree && Object.values(row.cells).every((cell) => cell.count === (cell.expected ? 1 : 0))) out.push(`${row.action}: the destinations got different event ids`);
  }
  for (const item of report.unexpected) out.push(`unexpected event: ${item}`);
  out.push(
    report.ok
      ? 'OK: every destination got every action exactly once, with the same event id, from the browser and from the server.'
      : 'FAILED: some destination missed an action, got one twice, or got an unexpected event.',
  );
  return out.join('\n');
}
