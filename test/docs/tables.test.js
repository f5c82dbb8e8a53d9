/**
 * The docs' tables of events, properties, dataLayer keys, GA4 names and the GTM container's contents hold what the
 * build does: scripts/docs-tables.js writes them from dist/ and the container (between `<!-- generated:NAME -->`
 * markers), and these tests fail when a doc differs from what it would write, or when the names it observes
 * disagree with the build's exported lists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFacts, checkDocs, markdownFiles, readContainer, renderTables, repoRoot, updateDoc } from '../../scripts/docs-tables.js';

const read = (file) => readFileSync(path.join(repoRoot, file), 'utf8');
const dist = (file) => import(pathToFileURL(path.join(repoRoot, 'dist', file)).href);

/** Rows of a Markdown table that starts at the line `head` of `text`, as trimmed cells without backticks. */
function tableAfter(text, head) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(head));
  if (start === -1) throw new Error(`no table headed ${head}`);
  const rows = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(lines[i].split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
  }
  return rows;
}

let facts;
let tables;
let build;
beforeAll(async () => {
  facts = await buildFacts();
  tables = renderTables(facts);
  const index = await dist('index.js');
  const gtm = await dist('gtm.js');
  const gtag = await dist('gtag.js');
  build = { CHAT_ACTIONS: index.CHAT_ACTIONS, ACTION_LABELS: index.ACTION_LABELS, GA4_EVENT_NAMES: gtm.GA4_EVENT_NAMES, gtagNames: gtag.GA4_EVENT_NAMES };
});

describe('generated tables in docs/', () => {
  it('every generated block holds what `node scripts/docs-tables.js --write` would write', () => {
    expect(checkDocs(tables)).toEqual([]);
  });

  it('reports a planted drift: a doc with one row removed, one name changed, or a block left unclosed', () => {
    const segment = read('docs/segment.md');
    const withoutRow = segment.replace(/^\| `conversation_reopened` .*\n/m, '');
    expect(withoutRow).not.toBe(segment);
    const renamed = read('docs/gtm/README.md').replace('`DLV - chatAvailability`', '`DLV - availability`');
    const unclosed = read('docs/ga4.md').replace('<!-- /generated:ga4-regex -->', '');
    const planted = { 'docs/segment.md': withoutRow, 'docs/gtm/README.md': renamed, 'docs/ga4.md': unclosed };
    const problems = checkDocs(tables, repoRoot, (file) => planted[file] ?? read(file));
    expect(problems).toEqual([
      'docs/ga4.md: block ga4-regex is never closed',
      'docs/gtm/README.md: block gtm-container is out of date',
      'docs/segment.md: block segment-events is out of date',
      'no doc holds the block ga4-regex',
    ]);
    // --write puts the row back.
    expect(updateDoc(withoutRow, tables).text).toBe(segment);
  });

  it('observes the names the build exports: every action, its label, its GA4 name', () => {
    expect(facts.actions).toEqual(build.CHAT_ACTIONS);
    expect(build.CHAT_ACTIONS).toHaveLength(11);
    expect(facts.labels).toEqual(build.ACTION_LABELS);
    expect(facts.ga4Names).toEqual(build.GA4_EVENT_NAMES);
    expect(build.gtagNames).toEqual(build.GA4_EVENT_NAMES);
    expect(new Set(Object.values(facts.liveChatNames)).size).toBe(build.CHAT_ACTIONS.length);
  });
});

describe('docs/gtm/README.md (defect 1)', () => {
  it('lists every tag, trigger and variable of the container, and no other', () => {
    const container = readContainer();
    expect([container.tag.length, container.trigger.length, container.variable.length]).toEqual([6, 7, 6]);
    const rows = tableAfter(read('docs/gtm/README.md'), '| kind | name |');
    expect(rows.map(([kind, name]) => [kind.split(',')[0], name])).toEqual([
      ...container.tag.map((tag) => ['Tag', tag.name]),
      ...container.trigger.map((trigger) => ['Trigger', trigger.name]),
      ...container.variable.map((variable) => ['Variable', variable.name]),
    ]);
    expect(read('docs/gtm/README.md')).toContain(`${container.tag.length} tags, ${container.trigger.length} triggers and ${container.variable.length} variables`);
  });

  it('states no size figure of its own: bundle sizes live in docs/performance.md, written by the bench', () => {
    const performance = read('docs/performance.md');
    for (const file of markdownFiles().filter((doc) => !['docs/performance.md', 'docs/reliability.md'].includes(doc))) {
      const figures = read(file).match(/\b\d+(\.\d+)? ?kB\b/g) ?? [];
      for (const figure of figures) expect(performance, `${file} states ${figure}, which docs/performance.md does not`).toContain(figure);
    }
  });
});

describe('docs/ga4.md (defect 2)', () => {
  const regexOf = (text) => new RegExp(/<!-- generated:ga4-regex -->\n```text\n(.+)\n```/.exec(text)[1]);

  it('the "one tag for every event" trigger regex matches every GA4 event name of the build, and nothing else', () => {
    const regex = regexOf(read('docs/ga4.md'));
    const names = Object.values(build.GA4_EVENT_NAMES);
    expect(names.filter((name) => !regex.test(name))).toEqual([]);
    for (const other of ['Kustomer_Chat_Event', 'gtm.js', 'chat_rating_x', 'xchat_rating', 'page_view']) expect(regex.test(other), other).toBe(false);
    // The old regex, planted, misses the three names issue 21 found.
    const old = /^chat_(widget_open|widget_close|conversation_start|message_sent|message_received|rating|conversation_end|proactive_trigger)$/;
    expect(names.filter((name) => !old.test(name))).toEqual(['chat_rating_request', 'chat_assistant_end', 'chat_conversation_reopen']);
  });

  it('tells which container tags to pause, so no event is sent twice', () => {
    const ga4Tags = readContainer().tag.filter((tag) => tag.type === 'gaawe').map((tag) => tag.name);
    expect(ga4Tags).toContain('GA4 Event - chat_widget_open');
    const section = read('docs/ga4.md').split('## Through gtag.js')[0].split('## Through Google Tag Manager')[1];
    const paused = /Pause (.*?): /.exec(section)[1];
    expect(paused.split(', ').map((name) => name.replace(/\*/g, ''))).toEqual(ga4Tags);
    expect(section).not.toMatch(/all eight/);
  });

  it("the example push holds every key of the build's GA4 push", () => {
    const example = /```js\n(\{ event: 'chat_rating'[\s\S]*?\})\n```/.exec(read('docs/ga4.md'))[1];
    expect(Object.keys(Function(`return (${example})`)()).sort()).toEqual(facts.pushKeys.ga4.sort());
  });
});

describe('availability and every event in each table (defect 3)', () => {
  it('the dataLayer key chatAvailability and the option keys.availability are in the mapping', () => {
    expect(facts.keyOptions.chatAvailability).toBe('availability');
    const rows = tableAfter(read('docs/mapping.md'), '| key | from | option');
    expect(rows).toContainEqual(['chatAvailability', 'availability', 'keys.availability']);
  });

  it('the availability property and parameter are in the Segment, RudderStack, GA4 and privacy docs', () => {
    expect(tableAfter(read('docs/mapping.md'), '| property | from |')).toContainEqual(['availability', 'availability']);
    expect(tableAfter(read('docs/mapping.md'), '| parameter | from |')).toContainEqual(['chat_availability', 'availability']);
    for (const file of ['docs/segment.md', 'docs/rudderstack.md']) {
      const rows = tableAfter(read(file), '| action | Kustomer |');
      expect(rows.find(([action]) => action === 'chat_opened')[3]).toBe('availability');
    }
    expect(read('docs/ga4.md')).toMatch(/\| `chat_availability` \|/);
    expect(read('docs/privacy.md')).toMatch(/`availability`/);
    expect(read('docs/schema.md')).toMatch(/\| `availability` \| `ChatAvailability` \|/);
  });

  it('every example push of the listener layout shows every key of the build', () => {
    const keys = facts.pushKeys.listener;
    expect(keys).toContain('chatAvailability');
    // docs/performance.md and docs/reliability.md are reports the bench and the tests write; their pushes are inputs.
    const written = markdownFiles().filter((file) => !['docs/performance.md', 'docs/reliability.md'].includes(file));
    const examples = written.flatMap((file) => [...read(file).matchAll(/\{ event: 'Kustomer_Chat_Event', ([^}]*)\}/g)].map((m) => [file, m[1]]));
    expect(examples.length).toBeGreaterThan(1);
    for (const [file, body] of examples) {
      const named = ['event', ...body.split(',').map((part) => part.split(':')[0].trim()).filter(Boolean)];
      expect(named.sort(), file).toEqual([...keys].sort());
    }
  });

  it('the Segment and RudderStack tables and the CHANGELOG name all 11 events of the build', () => {
    for (const [file, tool] of [['docs/segment.md', 'Segment'], ['docs/rudderstack.md', 'RudderStack']]) {
      const rows = tableAfter(read(file), '| action | Kustomer |');
      expect(rows.map(([action, , name]) => [action, name]), file).toEqual(build.CHAT_ACTIONS.map((action) => [action, facts.liveChatNames[action]]));
      expect(read(file)).toContain(`| ${tool} event |`);
    }
    const release = read('CHANGELOG.md').split(/^## /m)[1];
    expect(build.CHAT_ACTIONS.filter((action) => !release.includes(`\`${action}\``))).toEqual([]);
  });
});

describe("the 'properties' column, against the Kustomer stand-in driving the built tracker", () => {
  /** What Segment gets from a real Kustomer conversation (support/kustomer-stand-in.js), per action. */
  async function propertiesSent(play) {
    const { installKustomerStandIn } = await import('../../support/kustomer-stand-in.js');
    const { JSDOM } = await import('jsdom');
    const { createChatTracker } = await dist('index.js');
    const { segmentDestination } = await dist('segment.js');
    const { window } = new JSDOM('<!doctype html>', { url: 'https://shop.test/' });
    const kustomer = installKustomerStandIn(window, { initDelayMs: 1 });
    const sent = {};
    const analytics = { track: (name, properties) => (sent[name] = Object.keys(properties).filter((key) => !['platform', 'event_id'].includes(key))), ready: (callback) => callback() };
    const tracker = createChatTracker({ window, sessionMemory: false, destinations: [segmentDestination(analytics)] }).start();
    try {
      await play(kustomer);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      tracker.stop();
      window.close();
    }
    return Object.fromEntries(Object.entries(facts.liveChatNames).filter(([, name]) => sent[name]).map(([action, name]) => [action, sent[name]]));
  }

  /** The documented properties of each action: [with the core, with the widget alone]. */
  function documented() {
    const lines = read('docs/segment.md').split('\n');
    const start = lines.findIndex((line) => line.startsWith('| action | Kustomer |'));
    const rows = [];
    for (let i = start + 2; lines[i]?.startsWith('|'); i++) rows.push(lines[i].split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '')));
    return Object.fromEntries(
      rows.map(([actionCell, , , cell]) => {
        const action = actionCell.replace(/`/g, '');
        const names = (text) => [...text.matchAll(/`(\w+)`/g)].map((m) => m[1]);
        const [core, widget] = cell.split(/ or (?=`)/);
        const common = names(core).slice(0, widget ? -1 : undefined);
        return [action, { core: names(core), widget: widget ? [...common, ...names(widget)] : names(core) }];
      }),
    );
  }

  it('with the widget and the headless core: every action of a conversation sends what the table says', async () => {
    const sent = await propertiesSent(async (kustomer) => {
      await kustomer.loadStartedWidgetAndCore();
      kustomer.fullConversationNow('conv_1');
      kustomer.reopenConversation('conv_1');
      kustomer.assistantHandsOver('conv_1');
    });
    expect(Object.keys(sent).length).toBeGreaterThanOrEqual(10);
    const table = documented();
    expect(Object.fromEntries(Object.keys(sent).map((action) => [action, table[action].core]))).toEqual(sent);
  });

  it('with the widget alone: an agent message sends what the table says for the widget', async () => {
    const sent = await propertiesSent(async (kustomer) => {
      await kustomer.loadStartedWidget();
      kustomer.agentReplies('conv_2');
    });
    expect(sent.message_received).toEqual(documented().message_received.widget);
  });
});

describe('docs/server.md', () => {
  it("names each webhook's action as the build's Segment, RudderStack and GA4 destinations do", () => {
    const rows = tableAfter(read('docs/server.md'), '| Kustomer webhook |');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.map(([, , action, liveChat, ga4]) => [action, liveChat, ga4])).toEqual(
      rows.map(([, , action]) => [action, facts.liveChatNames[action], build.GA4_EVENT_NAMES[action]]),
    );
  });
});
