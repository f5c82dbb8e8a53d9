// The newcomer's first command, `npm start -- --once`, run as they would run it: a child process that plays
// the demo's conversation in Chromium and must show every action reaching all four destinations.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_LABELS } from '../../core/schema.ts';
import { LIVE_CHAT_EVENT_NAMES } from '../../plugins/shared/live-chat-spec.ts';
import { GA4_EVENT_NAMES } from '../../plugins/shared/ga4.ts';
import { COLUMNS, CONVERSATION, SERVER_ACTIONS, compare, formatTable } from '../../demo/report.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function runDemoOnce(screenshot) {
  return new Promise((resolve, reject) => {
    // PORT=0: a free port, so the test runs next to an open demo and other test files.
    const child = spawn(process.execPath, ['demo/server.js', '--once', `--screenshot=${screenshot}`], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The printed table as { action: [dataLayer, Segment, RudderStack, GA4, and the same three from the server] }. */
function parseTable(stdout) {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^action\s*\|/.test(line));
  const table = {};
  for (const line of lines.slice(header + 2)) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length !== 8) break;
    table[cells[0]] = cells.slice(1);
  }
  return { header: lines[header]?.split('|').map((cell) => cell.trim()), table };
}

describe('npm start -- --once', () => {
  let run;
  let dir;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kca-demo-'));
    run = await runDemoOnce(path.join(dir, 'demo.png'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 0 after the whole conversation', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('prints every action of the conversation under all four destinations, and what the server sent, by their names', () => {
    const { header, table } = parseTable(run.stdout);
    expect(header).toEqual(['action', 'dataLayer', 'Segment', 'RudderStack', 'GA4', 'Segment (server)', 'RudderStack (server)', 'GA4 (server)']);
    expect(Object.keys(table)).toEqual(CONVERSATION);
    for (const action of CONVERSATION) {
      const segmentName = LIVE_CHAT_EVENT_NAMES[action];
      const browser = [ACTION_LABELS[action], segmentName, segmentName, GA4_EVENT_NAMES[action]];
      // The webhooks report what Kustomer's servers see: the conversation, its messages, the rating, the end.
      const server = SERVER_ACTIONS.includes(action) ? [segmentName, segmentName, GA4_EVENT_NAMES[action]] : ['-', '-', '-'];
      expect(table[action], action).toEqual([...browser, ...server]);
    }
    expect(run.stdout).not.toContain('MISSING');
    expect(run.stdout).toContain('OK: every destination got every action exactly once');
  });

  it('saves a screenshot of the demo page', async () => {
    const png = await readFile(path.join(dir, 'demo.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });
});

describe('the --once verdict', () => {
  const names = Object.fromEntries(
    CONVERSATION.map((action) => [
      action,
      { dataLayer: ACTION_LABELS[action], segment: LIVE_CHAT_EVENT_NAMES[action], rudderstack: LIVE_CHAT_EVENT_NAMES[action], ga4: GA4_EVENT_NAMES[action] },
    ]),
  );
  const everything = () => {
    const received = Object.fromEntries(COLUMNS.map((column) => [column.key, []]));
    for (const action of CONVERSATION) {
      for (const column of COLUMNS) {
        if (!column.server || SERVER_ACTIONS.includes(action)) received[column.key].push({ name: names[action][column.names], id: `id_${action}` });
      }
    }
    return received;
  };

  it('passes when each destination got each action once, with one id per action', () => {
    expect(compare(names, everything()).ok).toBe(true);
  });

  it('fails and prints MISSING when a destination misses an action', () => {
    const received = everything();
    received.rudderstack = received.rudderstack.filter((item) => item.name !== 'Live Chat Message Received');
    const report = compare(names, received);
    expect(report.ok).toBe(false);
    expect(formatTable(report)).toMatch(/^message_received .*\| MISSING +\| chat_message_received +\|/m);
  });

  it('fails when the server misses an action, or sends one it should not, or with another id than the browser', () => {
    const missed = everything();
    missed.ga4Server = missed.ga4Server.filter((item) => item.name !== 'chat_rating');
    expect(formatTable(compare(names, missed))).toMatch(/^satisfaction_submitted .*\| MISSING$/m);

    const extra = everything();
    extra.segmentServer.push({ name: 'Live Chat Opened', id: 'id_chat_opened' });
    expect(compare(names, extra).ok).toBe(false);

    const otherId = everything();
    otherId.rudderstackServer[0] = { ...otherId.rudderstackServer[0], id: 'server-made' };
    expect(formatTable(compare(names, otherId))).toContain('conversation_started: the destinations got different event ids');
  });

  it('fails on a duplicate, an unexpected event, and ids that differ between destinations', () => {
    const duplicated = everything();
    duplicated.segment.push({ name: 'Live Chat Opened', id: 'id_chat_opened' });
    expect(formatTable(compare(names, duplicated))).toContain('Live Chat Opened (x2)');

    const unexpected = everything();
    unexpected.ga4.push({ name: 'chat_proactive_trigger', id: 'x' });
    expect(compare(names, unexpected)).toMatchObject({ ok: false, unexpected: ['GA4: chat_proactive_trigger'] });

    const otherId = everything();
    otherId.dataLayer[0] = { ...otherId.dataLayer[0], id: 'another' };
    const report = compare(names, otherId);
    expect(report.ok).toBe(false);
    expect(formatTable(report)).toContain('chat_opened: the destinations got different event ids');
  });
});
