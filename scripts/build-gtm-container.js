#!/usr/bin/env node
/**
 * Writes docs/gtm/kustomer-chat-container.json, a container to load with GTM's Admin > Import Container:
 * a Custom HTML tag carrying the ES5 build of the drop-in (dist/kustomer-chat-gtm.es5.min.js, inlined), the
 * Constant variable `Kustomer Chat - Data Layer Name`, the Custom Event trigger `Kustomer_Chat_Event`, Data Layer
 * Variables for the push's keys, and five GA4 Event tags.
 *
 *   npm run build                                    builds dist/, then rewrites the container (--write)
 *   node scripts/build-gtm-container.js --write      rewrite the container from the drop-in in dist/
 *   node scripts/build-gtm-container.js              only say whether the committed container is current
 *   node scripts/build-gtm-container.js --check      exit 1 if it is out of date
 *
 * The container is committed: the test run's build (`npm run build:dist`, in pretest) leaves it alone, and
 * test/unit/gtm-container.test.ts fails while it differs from what this script would write.
 *
 * The format is GTM's export format version 2 (what Admin > Export Container produces).
 *
 * GTM checks the JavaScript of a Custom HTML tag as ES5 and rebuilds each <script> of the tag from its text
 * alone, so the tag is a plain <script> with ES5 code, and its options are set in that code (a settings object
 * filled from GTM variables), not in data-* attributes. Every script of the container is parsed here with an
 * ES5-only parser: the build fails when one is not ES5.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The drop-in for a hosted <script src>: ES2020, options from data-* attributes. */
export const DROP_IN_FILE = `${repoRoot}dist/kustomer-chat-gtm.min.js`;
/** The same drop-in lowered to ES5, for the Custom HTML tag. */
export const ES5_DROP_IN_FILE = `${repoRoot}dist/kustomer-chat-gtm.es5.min.js`;
export const CONTAINER_FILE = `${repoRoot}docs/gtm/kustomer-chat-container.json`;

/** The Constant variable a user edits: the name of the data layer in the site's GTM snippet. */
export const DATA_LAYER_NAME_VARIABLE = 'Kustomer Chat - Data Layer Name';

// Import assigns new ids in the target container; these only have to be consistent within the file.
const ACCOUNT_ID = '0';
const CONTAINER_ID = '0';
const FOLDER_ID = '1';
// Fixed, so that rebuilding an unchanged container leaves the file unchanged.
const EXPORT_TIME = '2026-01-01 00:00:00';

/** A build as it goes in the tag: without its source map comment (the map is not on the site). */
export function dropInCode(file = ES5_DROP_IN_FILE) {
  const code = readFileSync(file, 'utf8')
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '')
    .trim();
  // GTM reads {{Name}} in a Custom HTML tag as a variable reference, and </script> would end the tag early.
  if (code.includes('{{')) throw new Error('the drop-in contains "{{", which GTM would read as a variable reference');
  if (/<\/script/i.test(code)) throw new Error('the drop-in contains "</script", which would end the Custom HTML tag');
  return code;
}

/**
 * The Custom HTML tag's content: one script that sets the drop-in's settings, then runs it. `{{Variable}}` stands
 * unquoted where a value goes: in a script, GTM replaces it with an expression that returns the variable's value,
 * `google_tag_manager["GTM-XXXX"].macro(n)` (https://www.simoahava.com/gtm-tips/mysterious-macro-call-custom-html-tags/),
 * so quotes around it would make the expression's text the value.
 */
export function tagHtml(code = dropInCode()) {
  return `<script>\nwindow.KustomerChatAnalyticsSettings = { dataLayerName: {{${DATA_LAYER_NAME_VARIABLE}}} };\n${code}\n</script>`;
}

/** The text of every <script> in a Custom HTML tag's HTML. */
export function scriptsOf(html) {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((match) => match[1]);
}

/** A script as GTM runs it: each {{Variable}} replaced by a call that returns its value, as GTM does. */
export function withVariablesResolved(script, publicId = 'GTM-XXXXXXX') {
  let macro = 0;
  return script.replace(/\{\{[^}]+\}\}/g, () => `google_tag_manager[${JSON.stringify(publicId)}].macro(${++macro})`);
}

/** Throws, naming the tag and the position, when a script of an html tag is not ES5 syntax. */
export function assertScriptsAreEs5(container) {
  for (const tag of container.containerVersion.tag.filter((t) => t.type === 'html')) {
    const html = tag.parameter.find((p) => p.key === 'html').value;
    for (const script of scriptsOf(html)) {
      try {
        parse(withVariablesResolved(script), { ecmaVersion: 5, sourceType: 'script' });
      } catch (error) {
        throw new Error(`tag "${tag.name}": a script is not ES5, as GTM requires: ${error.message}`, { cause: error });
      }
    }
  }
}

const common = (fingerprint) => ({ accountId: ACCOUNT_ID, containerId: CONTAINER_ID, fingerprint: String(fingerprint), parentFolderId: FOLDER_ID });
const template = (key, value) => ({ type: 'TEMPLATE', key, value });
const equals = (left, right) => ({ type: 'EQUALS', parameter: [template('arg0', left), template('arg1', right)] });

const dataLayerVariable = (variableId, key) => ({
  ...common(variableId),
  variableId,
  name: `DLV - ${key}`,
  type: 'v',
  parameter: [
    { type: 'INTEGER', key: 'dataLayerVersion', value: '2' },
    { type: 'BOOLEAN', key: 'setDefaultValue', value: 'false' },
    template('name', key),
  ],
});

/** A Custom Event trigger on Kustomer_Chat_Event, optionally for one chat_Action only. */
const chatTrigger = (triggerId, chatAction) => ({
  ...common(triggerId),
  triggerId,
  name: chatAction ? `Kustomer_Chat_Event - ${chatAction}` : 'Kustomer_Chat_Event - any action',
  type: 'CUSTOM_EVENT',
  customEventFilter: [equals('{{_event}}', 'Kustomer_Chat_Event')],
  ...(chatAction ? { filter: [equals('{{DLV - chat_Action}}', chatAction)] } : {}),
});

const ga4EventTag = (tagId, eventName, parameters, triggerId) => ({
  ...common(tagId),
  tagId,
  name: `GA4 Event - ${eventName}`,
  type: 'gaawe',
  parameter: [
    { type: 'BOOLEAN', key: 'sendEcommerceData', value: 'false' },
    { type: 'BOOLEAN', key: 'enhancedUserId', value: 'false' },
    template('eventName', eventName),
    template('measurementIdOverride', '{{GA4 Measurement ID}}'),
    {
      type: 'LIST',
      key: 'eventSettingsTable',
      list: Object.entries(parameters).map(([name, value]) => ({ type: 'MAP', map: [template('parameter', name), template('parameterValue', value)] })),
    },
  ],
  firingTriggerId: [triggerId],
  tagFiringOption: 'ONCE_PER_EVENT',
  monitoringMetadata: { type: 'MAP' },
  consentSettings: { consentStatus: 'NOT_SET' },
});

export function buildContainer(code = dropInCode()) {
  const container = containerWith(code);
  assertScriptsAreEs5(container);
  return container;
}

function containerWith(code) {
  return {
    exportFormatVersion: 2,
    exportTime: EXPORT_TIME,
    containerVersion: {
      path: `accounts/${ACCOUNT_ID}/containers/${CONTAINER_ID}/versions/0`,
      accountId: ACCOUNT_ID,
      containerId: CONTAINER_ID,
      containerVersionId: '0',
      container: {
        path: `accounts/${ACCOUNT_ID}/containers/${CONTAINER_ID}`,
        accountId: ACCOUNT_ID,
        containerId: CONTAINER_ID,
        name: 'Kustomer Chat Analytics',
        publicId: 'GTM-XXXXXXX',
        usageContext: ['WEB'],
        fingerprint: '0',
      },
      tag: [
        {
          ...common(10),
          tagId: '10',
          name: 'Kustomer Chat Analytics - drop-in',
          type: 'html',
          parameter: [template('html', tagHtml(code)), { type: 'BOOLEAN', key: 'supportDocumentWrite', value: 'false' }],
          firingTriggerId: ['20'],
          // The drop-in starts once per page and ignores a second copy anyway.
          tagFiringOption: 'ONCE_PER_LOAD',
          monitoringMetadata: { type: 'MAP' },
          consentSettings: { consentStatus: 'NOT_SET' },
        },
        ga4EventTag('11', 'chat_widget_open', { chat_platform: 'kustomer', chat_availability: '{{DLV - chatAvailability}}' }, '22'),
        ga4EventTag(
          '12',
          'chat_rating',
          { chat_platform: 'kustomer', rating_value: '{{DLV - satisfactionScore}}', conversation_id: '{{DLV - conversationId}}' },
          '23',
        ),
        ga4EventTag('13', 'chat_rating_request', { chat_platform: 'kustomer', conversation_id: '{{DLV - conversationId}}' }, '24'),
        ga4EventTag('14', 'chat_assistant_end', { chat_platform: 'kustomer', conversation_id: '{{DLV - conversationId}}' }, '25'),
        ga4EventTag('15', 'chat_conversation_reopen', { chat_platform: 'kustomer', conversation_id: '{{DLV - conversationId}}' }, '26'),
      ],
      trigger: [
        { ...common(20), triggerId: '20', name: 'All Pages - Kustomer drop-in', type: 'PAGEVIEW' },
        chatTrigger('21'),
        chatTrigger('22', 'chat opened'),
        chatTrigger('23', 'satisfaction submitted'),
        chatTrigger('24', 'satisfaction requested'),
        chatTrigger('25', 'assistant ended'),
        chatTrigger('26', 'conversation reopened'),
      ],
      variable: [
        dataLayerVariable('30', 'chat_Action'),
        dataLayerVariable('31', 'conversationId'),
        dataLayerVariable('32', 'satisfactionScore'),
        dataLayerVariable('35', 'chatAvailability'),
        {
          ...common(33),
          variableId: '33',
          name: 'GA4 Measurement ID',
          type: 'c',
          parameter: [template('value', 'G-XXXXXXXXXX')],
        },
        {
          ...common(34),
          variableId: '34',
          name: DATA_LAYER_NAME_VARIABLE,
          type: 'c',
          parameter: [template('value', 'dataLayer')],
        },
      ],
      folder: [{ accountId: ACCOUNT_ID, containerId: CONTAINER_ID, folderId: FOLDER_ID, name: 'Kustomer Chat Analytics', fingerprint: '1' }],
      builtInVariable: [{ accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: 'EVENT', name: 'Event' }],
      fingerprint: '0',
    },
  };
}

/** What to do when the committed container differs from the one the current build gives. */
export const STALE_CONTAINER = 'run `npm run build` and commit docs/gtm/kustomer-chat-container.json';

export const containerJson = (code) => `${JSON.stringify(buildContainer(code), null, 2)}\n`;

/** Gzip bytes (level 9, as size-limit measures) of a build as it ships, source map comment included. */
export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const next = containerJson();
  const kB = (file) => `${(gzipBytes(file) / 1000).toFixed(2)} kB gzip`;
  console.log(`drop-in ${kB(DROP_IN_FILE)}; its ES5 build for the GTM tag ${kB(ES5_DROP_IN_FILE)}`);
  let current = '';
  try {
    current = readFileSync(CONTAINER_FILE, 'utf8');
  } catch {
    /* not written yet */
  }
  if (current === next) {
    console.log('docs/gtm/kustomer-chat-container.json is current');
  } else if (process.argv.includes('--write')) {
    writeFileSync(CONTAINER_FILE, next);
    console.log('wrote docs/gtm/kustomer-chat-container.json: commit it');
  } else {
    console.error(`docs/gtm/kustomer-chat-container.json is out of date: ${STALE_CONTAINER}`);
    if (process.argv.includes('--check')) process.exitCode = 1;
  }
}
