/**
 * The tables of docs/ that name events, properties, dataLayer keys, GA4 names and the GTM container's contents,
 * written from what the build does (dist/) and what the container holds, between markers in the Markdown:
 *
 *   <!-- generated:NAME -->
 *   ...
 *   <!-- /generated:NAME -->
 *
 *   node scripts/docs-tables.js           # prints which blocks are out of date; exit 1 if any
 *   node scripts/docs-tables.js --write   # rewrites them (run after npm run build:dist)
 *
 * Names are observed, not restated: the script loads dist/ in a jsdom page, emits every action through the built
 * tracker with fake SDKs, and reads back what each destination was called with. Only the Kustomer wording per
 * action and which fields each action carries (the mapping in core/kustomer-events.ts) are written here; an action
 * of the build missing from them throws, so a new action cannot go undocumented. test/docs/tables.test.js runs
 * the check in npm test.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What each action carries, as core/kustomer-events.ts maps it; `or` lists the widget-alone alternative. */
const ACTIONS = {
  chat_opened: { kustomer: 'chat window opened (widget `onOpen`)', fields: ['availability'] },
  chat_closed: { kustomer: 'chat window closed (widget `onClose`)', fields: [] },
  conversation_started: { kustomer: 'conversation created (widget or core `onConversationCreate`)', fields: ['conversationId'] },
  message_sent: { kustomer: 'visitor sends a message (core `onMessageSent`)', fields: ['conversationId', 'messageId'] },
  message_received: {
    kustomer: 'agent message (core `onMessageReceived`; widget alone: a rise of the unread count)',
    fields: ['conversationId'],
    either: [['messageId', 'core'], ['unreadTotal', 'widget alone']],
  },
  satisfaction_requested: { kustomer: 'CSAT form shown (core `onSatisfactionReceived`)', fields: ['conversationId', 'satisfactionId', 'ratingScale'] },
  satisfaction_submitted: {
    kustomer: 'CSAT rating (`KustomerCore.submitSatisfactionForm` callback, or `onSatisfactionReceived` with a rating)',
    fields: ['conversationId', 'satisfactionId', 'rating', 'ratingScale'],
  },
  assistant_ended: { kustomer: 'assistant (bot) handed over (core `onAssistantEnded`)', fields: ['conversationId'] },
  conversation_ended: { kustomer: 'conversation ended (core `onConversationEnded`)', fields: ['conversationId'] },
  conversation_reopened: { kustomer: 'ended conversation reopened (core `onConversationUnended`)', fields: ['conversationId'] },
  proactive_trigger: { kustomer: "proactive message (no Kustomer web event: `chat.emit('proactive_trigger')`)", fields: [], passed: true },
};

/** A value for each ChatEvent field the destinations may send; `n` keeps ids unique so nothing is de-duplicated. */
const SAMPLE = {
  conversationId: (n) => `conv_${n}`,
  messageId: (n) => `msg_${n}`,
  satisfactionId: (n) => `sat_${n}`,
  rating: () => 4,
  ratingScale: () => 5,
  unreadTotal: () => 3,
  isInAssistantMode: () => true,
  availability: () => 'online',
};

/** What the GA4 parameter table says each parameter is; a parameter of the build missing here throws. */
const GA4_PARAMETER_MEANING = {
  chat_platform: 'always `kustomer`',
  event_id: "the event's id, the same as in every other destination ([identity](identity.md))",
  conversation_id: "Kustomer's conversation id",
  message_id: "Kustomer's message id",
  rating_value: 'the satisfaction rating, a number (e.g. `5`)',
  rating_scale: 'the rating scale (e.g. `5`)',
  unread_total: "the widget's unread count",
  chat_availability:
    'what `Kustomer.isChatAvailable()` answered when the chat was opened: `online`, `offline`, `hidden`, `disabled` or `none`',
};

const code = (value) => `\`${value}\``;

/** Loads dist/ in a fresh jsdom page and reads back names from the built destinations. */
export async function buildFacts(root = repoRoot) {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://docs.example/' });
  const saved = {};
  for (const key of ['window', 'document', 'sessionStorage', 'navigator']) {
    saved[key] = Object.getOwnPropertyDescriptor(globalThis, key);
    Object.defineProperty(globalThis, key, { value: key === 'window' ? dom.window : dom.window[key], configurable: true, writable: true });
  }
  try {
    const dist = (file) => import(pathToFileURL(path.join(root, 'dist', file)).href);
    const { createChatTracker, CHAT_ACTIONS, ACTION_LABELS } = await dist('index.js');
    const { gtmDataLayer, ga4DataLayer, GA4_EVENT_NAMES } = await dist('gtm.js');
    const { segmentDestination } = await dist('segment.js');
    const { rudderstackDestination } = await dist('rudderstack.js');
    for (const action of CHAT_ACTIONS) if (!ACTIONS[action]) throw new Error(`scripts/docs-tables.js: no wording for the action ${action}`);

    const calls = [];
    const analytics = { track: (name, properties) => calls.push({ name, properties }), ready: (callback) => callback() };
    const rudderCalls = [];
    const rudderanalytics = { track: (name, properties) => rudderCalls.push({ name, properties }), ready: (callback) => callback() };
    dom.window.dataLayer = [];
    const destinations = [gtmDataLayer(), ga4DataLayer(), segmentDestination(analytics), rudderstackDestination(rudderanalytics)];
    const tracker = createChatTracker({ sessionMemory: false, destinations }).start();
    let n = 0;
    /** Emits one event and returns what each destination got from it. */
    const probe = (action, fields, gtmOptions) => {
      n += 1;
      const unique = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'function' ? value(n) : value]));
      const before = { calls: calls.length, pushes: dom.window.dataLayer.length };
      let pushes;
      if (gtmOptions) {
        const layerName = `probe${n}`;
        const own = createChatTracker({ sessionMemory: false, destinations: [gtmDataLayer({ ...gtmOptions, dataLayerName: layerName })] }).start();
        dom.window[layerName] = [];
        own.emit(action, unique);
        pushes = dom.window[layerName];
        own.stop();
        return { listener: pushes[0] };
      }
      tracker.emit(action, unique);
      pushes = dom.window.dataLayer.slice(before.pushes);
      const [segment] = calls.slice(before.calls);
      const [rudderstack] = rudderCalls.slice(before.calls);
      // Segment and RudderStack share the Live Chat destination: the tables below hold for both only while so.
      if (JSON.stringify(rudderstack) !== JSON.stringify(segment)) throw new Error(`RudderStack and Segment differ on ${action}: the docs' shared tables need splitting`);
      return { listener: pushes.find((push) => push.event === 'Kustomer_Chat_Event'), ga4: pushes.find((push) => push.event !== 'Kustomer_Chat_Event'), segment };
    };
    const presentKeys = (object) => Object.keys(object).filter((key) => object[key] !== undefined);
    const added = (withIt, without) => presentKeys(withIt).filter((key) => !presentKeys(without).includes(key) || withIt[key] !== without[key]);

    const liveChatNames = Object.fromEntries(CHAT_ACTIONS.map((action) => [action, probe(action, {}).segment.name]));
    // Field → the name each destination gives it, found by emitting the field alone next to a baseline.
    const baseline = probe('proactive_trigger', {});
    const fieldNames = {};
    for (const [field, sample] of Object.entries(SAMPLE)) {
      const got = probe('proactive_trigger', { [field]: sample });
      fieldNames[field] = {
        segment: added(got.segment.properties, baseline.segment.properties).filter((key) => key !== 'event_id'),
        ga4: added(got.ga4, baseline.ga4).filter((key) => key !== 'event_id'),
        listener: added(got.listener, baseline.listener).filter((key) => key !== 'eventId'),
      };
    }
    const always = {
      segment: presentKeys(baseline.segment.properties),
      ga4: presentKeys(baseline.ga4).filter((key) => key !== 'event'),
      listener: Object.keys(baseline.listener),
    };
    // Every key of a push, set or `undefined`: GTM merges pushes, so the docs' example pushes show them all.
    const pushKeys = { listener: Object.keys(baseline.listener), ga4: Object.keys(baseline.ga4) };
    // The listener layout's keys and the `keys` option that renames each: rename one at a time, see which moved.
    const everything = Object.fromEntries(Object.entries(SAMPLE).map(([field, sample]) => [field, sample]));
    const allKeys = Object.keys(probe('satisfaction_submitted', everything, {}).listener);
    const keyOptions = {};
    for (const option of ['action', 'eventId', ...Object.keys(SAMPLE)]) {
      const renamed = Object.keys(probe('satisfaction_submitted', everything, { keys: { [option]: 'RENAMED' } }).listener);
      const moved = allKeys.filter((key) => !renamed.includes(key));
      if (moved.length === 1) keyOptions[moved[0]] = option;
    }
    const eventName = probe('chat_opened', {}, { eventName: 'RENAMED' }).listener.event === 'RENAMED' ? 'eventName' : undefined;
    tracker.stop();
    return { actions: [...CHAT_ACTIONS], labels: { ...ACTION_LABELS }, ga4Names: { ...GA4_EVENT_NAMES }, liveChatNames, fieldNames, always, pushKeys, allKeys, keyOptions, eventName, container: readContainer(root) };
  } finally {
    for (const [key, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete globalThis[key];
    }
    dom.window.close();
  }
}

export function readContainer(root = repoRoot) {
  return JSON.parse(readFileSync(path.join(root, 'docs/gtm/kustomer-chat-container.json'), 'utf8')).containerVersion;
}

const one = (names, field, destination) => {
  const got = names[field][destination];
  if (got.length !== 1) throw new Error(`scripts/docs-tables.js: ${field} gives ${got.length} ${destination} keys (${got.join(', ')})`);
  return got[0];
};

/** "`a`, `b` (core) or `c` (widget alone)" for an action, in one destination's names. */
function carried(facts, action, destination) {
  const spec = ACTIONS[action];
  const common = spec.fields.filter((field) => facts.fieldNames[field][destination].length).map((field) => code(one(facts.fieldNames, field, destination)));
  let text = common.join(', ');
  if (spec.either) {
    const [[first, firstWhere], [second, secondWhere]] = spec.either;
    const alternatives = `${code(one(facts.fieldNames, first, destination))} (${firstWhere}) or ${code(one(facts.fieldNames, second, destination))} (${secondWhere})`;
    text = text ? `${text}, ${alternatives}` : alternatives;
  }
  if (spec.passed) text = text ? `${text}, and what you pass to \`emit()\`` : 'what you pass to `emit()`';
  return text;
}

const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function parameterOf(list, key) {
  return list?.find((item) => item.key === key);
}

/** The container's tags, triggers and variables, one row each, described from their own settings. */
function containerTable(container) {
  const triggerName = Object.fromEntries(container.trigger.map((trigger) => [trigger.triggerId, trigger.name]));
  const condition = (filter) => {
    const [left, right] = filter.parameter.map((p) => p.value);
    return `${left.replace(/^\{\{(.*)\}\}$/, '$1').replace(/^DLV - /, '')} equals ${code(right)}`;
  };
  const rows = [];
  for (const tag of container.tag) {
    const fires = `Fires on *${tag.firingTriggerId.map((id) => triggerName[id]).join('*, *')}*.`;
    if (tag.type === 'html') {
      rows.push(['Tag, Custom HTML', code(tag.name), `The drop-in listener, as ES5 (\`dist/kustomer-chat-gtm.es5.min.js\`, inlined). ${fires} Pushes a \`Kustomer_Chat_Event\` for each chat action into the data layer \`{{Kustomer Chat - Data Layer Name}}\` names.`]);
    } else if (tag.type === 'gaawe') {
      const settings = parameterOf(tag.parameter, 'eventSettingsTable')?.list ?? [];
      const params = settings.map((entry) => {
        const name = parameterOf(entry.map, 'parameter').value;
        const value = parameterOf(entry.map, 'parameterValue').value;
        return `${code(name)} = ${code(value)}`;
      });
      rows.push(['Tag, GA4 Event', code(tag.name), `Sends ${code(parameterOf(tag.parameter, 'eventName').value)}${params.length ? ` with ${params.join(', ')}` : ''} to \`{{GA4 Measurement ID}}\`. ${fires}`]);
    } else {
      rows.push([`Tag, ${tag.type}`, code(tag.name), fires]);
    }
  }
  for (const trigger of container.trigger) {
    if (trigger.type === 'PAGEVIEW') rows.push(['Trigger, Page View', code(trigger.name), 'Every page.']);
    else {
      const event = trigger.customEventFilter.map((filter) => filter.parameter[1].value).join(', ');
      const filters = (trigger.filter ?? []).map(condition);
      rows.push(['Trigger, Custom Event', code(trigger.name), `Event ${code(event)}${filters.length ? ` where ${filters.join(' and ')}` : ': every chat event, for your own tags'}.`]);
    }
  }
  for (const variable of container.variable) {
    if (variable.type === 'v') {
      rows.push(['Variable, Data Layer', code(variable.name), `The dataLayer key ${code(parameterOf(variable.parameter, 'name').value)}.`]);
    } else if (variable.type === 'c') {
      const value = parameterOf(variable.parameter, 'value').value;
      const note = variable.name === 'GA4 Measurement ID' ? ': **replace it with yours.**' : variable.name === 'Kustomer Chat - Data Layer Name' ? ': change it only if your site renamed GTM\'s data layer ([below](#a-renamed-data-layer)).' : '.';
      rows.push(['Variable, Constant', code(variable.name), `${code(value)}${note}`]);
    } else {
      rows.push([`Variable, ${variable.type}`, code(variable.name), '']);
    }
  }
  const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${count(container.tag.length, 'tag')}, ${count(container.trigger.length, 'trigger')} and ${count(container.variable.length, 'variable')}:\n\n${table(['kind', 'name', 'what it does'], rows)}`;
}

/** Every block, by name, as the docs should hold it. */
export function renderTables(facts) {
  const { actions, ga4Names, liveChatNames, fieldNames, always, container } = facts;
  const liveChatEvents = (tool) =>
    table(
      ['action', 'Kustomer', `${tool} event`, 'properties besides `platform`, `event_id`'],
      actions.map((action) => [code(action), ACTIONS[action].kustomer, code(liveChatNames[action]), carried(facts, action, 'segment')]),
    );
  const ga4Tags = container.tag.filter((tag) => tag.type === 'gaawe');
  const ga4Params = [...always.ga4, ...Object.keys(fieldNames).flatMap((field) => fieldNames[field].ga4)];
  for (const param of ga4Params) if (!GA4_PARAMETER_MEANING[param]) throw new Error(`scripts/docs-tables.js: no meaning for the GA4 parameter ${param}`);
  const fieldTable = (destination, head) =>
    table(head, [
      ...always[destination].map((key) => [code(key), key === 'platform' || key === 'chat_platform' ? '`platform` (`kustomer`)' : '`id`']),
      ...Object.keys(fieldNames).filter((field) => fieldNames[field][destination].length).map((field) => [code(one(fieldNames, field, destination)), code(field)]),
    ]);
  return {
    'gtm-container': containerTable(container),
    'ga4-events': table(
      ['action', 'GA4 event', 'parameters (when they apply)'],
      actions.map((action) => [code(action), code(ga4Names[action]), ['`chat_platform`', '`event_id`', carried(facts, action, 'ga4')].filter(Boolean).join(', ')]),
    ),
    'ga4-parameters': table(['parameter', 'value'], [
      ...ga4Params.map((param) => [code(param), GA4_PARAMETER_MEANING[param]]),
      ['`allowFields` paths', 'opted-in payload fields ([privacy](privacy.md)), `.` replaced by `_` (`sentBy.type` → `sentBy_type`), strings cut to 100 characters, 25 parameters at most'],
    ]),
    'ga4-regex': ['```text', `^(${actions.map((action) => ga4Names[action]).join('|')})$`, '```'].join('\n'),
    'ga4-container-tags': `Pause ${ga4Tags.map((tag) => `*${tag.name}*`).join(', ')}: the container's own GA4 Event tags send ${ga4Tags.map((tag) => code(parameterOf(tag.parameter, 'eventName').value)).join(', ')}, and with this tag added they would reach GA4 twice.`,
    'segment-events': liveChatEvents('Segment'),
    'rudderstack-events': liveChatEvents('RudderStack'),
    'live-chat-properties': fieldTable('segment', ['property', 'from']) + '\n| each `allowFields` path | `extra` |',
    'ga4-parameter-sources': fieldTable('ga4', ['parameter', 'from']) + '\n| each `allowFields` path, `.` → `_` | `extra` |',
    'datalayer-keys': table(['key', 'from', 'option to change it'], [
      ['`event`', 'always `Kustomer_Chat_Event`', facts.eventName ? code(facts.eventName) : '–'],
      ...facts.allKeys.filter((key) => key !== 'event').map((key) => {
        const option = facts.keyOptions[key];
        const from = key === 'chat_Action' ? "the action's label" : key === 'eventId' ? '`id`' : code(Object.keys(fieldNames).find((field) => fieldNames[field].listener.includes(key)) ?? '?');
        return [code(key), from, option ? `${code(`keys.${option}`)}${option === 'eventId' ? ' (`false` leaves it out)' : ''}` : '–'];
      }),
      ['your keys', "`fields: { site: 'eu' }`", '`fields`'],
    ]),
    'privacy-forwarded': [
      `- the action and its time (\`timestamp\`);`,
      `- Kustomer ids: \`conversationId\`, \`messageId\`, \`satisfactionId\`, and the event's own \`id\`;`,
      `- counts and the rating: \`unreadTotal\`, \`rating\`, \`ratingScale\`;`,
      `- what \`Kustomer.isChatAvailable()\` answered on open: \`availability\`;`,
      `- \`platform: 'kustomer'\`.`,
      '',
      `The built-in destinations send these fields: ${Object.keys(fieldNames).filter((field) => fieldNames[field].segment.length || fieldNames[field].ga4.length || fieldNames[field].listener.length).map(code).join(', ')}. ${Object.keys(fieldNames).filter((field) => !fieldNames[field].segment.length && !fieldNames[field].ga4.length && !fieldNames[field].listener.length).map(code).join(', ')} and \`origin\` are in the event for your own destinations; the built-in destinations do not send them.`,
    ].join('\n'),
  };
}

const MARKER = /^([ \t]*)<!-- generated:([\w-]+) -->\n([\s\S]*?)^\1<!-- \/generated:\2 -->/gm;

/** A block's text at the indentation of its markers (inside a list item, say). */
const indented = (body, indent) => `${body.split('\n').map((line) => (line ? indent + line : line)).join('\n')}\n`;

/** The doc with its generated blocks replaced, and the names of those that differed or are unknown. */
export function updateDoc(text, tables) {
  const drift = [];
  const unknown = [];
  const names = [];
  const updated = text.replace(MARKER, (whole, indent, name, body) => {
    names.push(name);
    if (!(name in tables)) {
      unknown.push(name);
      return whole;
    }
    const expected = indented(tables[name], indent);
    if (body !== expected) drift.push(name);
    return `${indent}<!-- generated:${name} -->\n${expected}${indent}<!-- /generated:${name} -->`;
  });
  const opened = [...text.matchAll(/<!-- generated:([\w-]+) -->/g)].map((m) => m[1]);
  const unclosed = opened.filter((name) => !names.includes(name));
  return { text: updated, drift, unknown, unclosed, names };
}

export function markdownFiles(root = repoRoot) {
  const walk = (dir) =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(relative);
      return entry.name.endsWith('.md') ? [relative] : [];
    });
  return ['README.md', 'CHANGELOG.md', ...walk('docs')];
}

/** Every doc's problems: `doc: block NAME is out of date` and the like. */
export function checkDocs(tables, root = repoRoot, read = (file) => readFileSync(path.join(root, file), 'utf8')) {
  const problems = [];
  const seen = new Set();
  for (const file of markdownFiles(root)) {
    const result = updateDoc(read(file), tables);
    for (const name of result.drift) problems.push(`${file}: block ${name} is out of date`);
    for (const name of result.unknown) problems.push(`${file}: no table is named ${name}`);
    for (const name of result.unclosed) problems.push(`${file}: block ${name} is never closed`);
    for (const name of result.names) seen.add(name);
  }
  for (const name of Object.keys(tables)) if (!seen.has(name)) problems.push(`no doc holds the block ${name}`);
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = renderTables(await buildFacts());
  if (process.argv.includes('--write')) {
    for (const file of markdownFiles()) {
      const before = readFileSync(path.join(repoRoot, file), 'utf8');
      const { text, drift } = updateDoc(before, tables);
      if (drift.length) {
        writeFileSync(path.join(repoRoot, file), text);
        console.log(`${file}: rewrote ${drift.join(', ')}`);
      }
    }
  } else {
    const problems = checkDocs(tables);
    for (const problem of problems) console.log(problem);
    if (problems.length) {
      console.log('Run `node scripts/docs-tables.js --write` after `npm run build:dist`.');
      process.exitCode = 1;
    } else console.log('Every generated block in docs/ is up to date.');
  }
}
