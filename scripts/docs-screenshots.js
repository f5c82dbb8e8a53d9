#!/usr/bin/env node
/**
 * `npm run docs:screenshots`: draws the docs' three pictures in headless Chromium (/usr/bin/chromium) from the
 * demo and the container, into docs/images/. Not run by `npm test`; run it after the container or the demo change.
 *
 * - gtm-import.png: what importing docs/gtm/kustomer-chat-container.json adds, listed from the file, laid out
 *   like GTM's import summary.
 * - tag-assistant.png: the demo's conversation played in Chromium, its real dataLayer shown as Tag Assistant lists
 *   it: each `Kustomer_Chat_Event` with its keys, and the container's tags its own triggers fire on it.
 * - ga4-debugview.png: the GA4 events the same conversation pushed, with their parameters, as DebugView lists them.
 *
 * They are drawings of GTM and GA4, not captures of Google's interfaces: the data is real (the container's
 * contents, the library's pushes in a real browser), the frames around it are ours.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from '../support/browser.js';
import { buildSdkBundles } from '../support/sdk-bundles.js';
import { startDemoServer } from '../demo/collector.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(repoRoot, 'docs/images');
const BUTTONS = ['open', 'start', 'send', 'reply', 'rate', 'end', 'close'];

const escape = (value) => String(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; background: #f1f3f4; color: #202124; }
  header { background: #fff; border-bottom: 1px solid #dadce0; padding: 14px 24px; font-size: 18px; }
  header small { color: #5f6368; font-size: 13px; margin-left: 12px; }
  main { display: flex; gap: 16px; padding: 16px 24px; align-items: flex-start; }
  section { background: #fff; border: 1px solid #dadce0; border-radius: 8px; padding: 12px 16px; flex: 1; }
  h2 { font-size: 15px; margin: 4px 0 10px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
  th { color: #5f6368; font-weight: 500; }
  code { font: 12.5px ui-monospace, monospace; }
  ol { margin: 0; padding: 0; list-style: none; }
  li { padding: 6px 8px; border-radius: 4px; }
  li.selected { background: #e8f0fe; font-weight: 600; }
  .fired { color: #188038; } .muted { color: #5f6368; } .badge { background: #e6f4ea; color: #137333; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
  .event { border-left: 3px solid #1a73e8; margin: 6px 0; padding: 6px 10px; background: #f8f9fa; }
  footer { color: #5f6368; font-size: 12px; padding: 0 24px 16px; }
`;
const page = (title, subtitle, body, note) =>
  `<!doctype html><meta charset="utf-8"><style>${STYLE}</style><header>${escape(title)}<small>${escape(subtitle)}</small></header>${body}<footer>${escape(note)}</footer>`;

/** The value of a container parameter, by key. */
const param = (list, key) => list?.find((p) => p.key === key)?.value;

/** Whether a trigger of the container fires on a push: its custom event and its `{{DLV - …}}` filters, EQUALS only. */
function fires(trigger, push, variables) {
  const resolve = (value) => {
    if (value === '{{_event}}') return push.event;
    const name = /^\{\{(.+)\}\}$/.exec(value)?.[1];
    if (!name) return value;
    const variable = variables.find((v) => v.name === name);
    return variable?.type === 'v' ? push[param(variable.parameter, 'name')] : undefined;
  };
  const holds = (condition) => {
    if (condition.type !== 'EQUALS') throw new Error(`docs-screenshots: no evaluator for ${condition.type}`);
    const [left, right] = condition.parameter.map((p) => p.value);
    return String(resolve(left)) === right;
  };
  if (trigger.type !== 'CUSTOM_EVENT') return false;
  return [...trigger.customEventFilter, ...(trigger.filter ?? [])].every(holds);
}

function importHtml(container) {
  const rows = (items, kind) => items.map((item) => `<tr><td>${kind}</td><td><code>${escape(item.name)}</code></td><td class="muted">${escape(item.type)}</td><td><span class="badge">Added</span></td></tr>`).join('');
  const body = `<main><section><h2>Preview and confirm your import</h2>
    <p>Workspace: <b>Kustomer chat</b> · Import option: <b>Merge</b>, rename conflicting tags, triggers and variables</p>
    <p><b>${container.tag.length}</b> tags · <b>${container.trigger.length}</b> triggers · <b>${container.variable.length}</b> variables added, 0 modified, 0 deleted</p>
    <table><tr><th>kind</th><th>name</th><th>type</th><th></th></tr>${rows(container.tag, 'Tag')}${rows(container.trigger, 'Trigger')}${rows(container.variable, 'Variable')}</table></section></main>`;
  return page('Google Tag Manager · Import Container', 'kustomer-chat-container.json', body, 'Drawn by npm run docs:screenshots from docs/gtm/kustomer-chat-container.json, laid out like GTM\'s import summary.');
}

function tagAssistantHtml(container, pushes, selected) {
  const chat = pushes.filter((push) => push.event === 'Kustomer_Chat_Event');
  const chosen = chat[selected];
  const firedTags = container.tag.filter((tag) => tag.firingTriggerId.some((id) => fires(container.trigger.find((t) => t.triggerId === id), chosen, container.variable)));
  const notFired = container.tag.filter((tag) => !firedTags.includes(tag) && tag.type !== 'html');
  const list = chat.map((push, i) => `<li class="${i === selected ? 'selected' : ''}">${i + 1} Kustomer_Chat_Event <span class="muted">${escape(push.chat_Action)}</span></li>`).join('');
  const keys = Object.entries(chosen).map(([key, value]) => `<tr><td><code>${escape(key)}</code></td><td><code>${escape(value === undefined ? 'undefined' : JSON.stringify(value))}</code></td></tr>`).join('');
  const body = `<main><section style="flex:0 0 330px"><h2>Summary</h2><ol>${list}</ol></section>
    <section><h2>Tags fired on this event</h2>${firedTags.map((tag) => `<p class="fired">✓ ${escape(tag.name)}</p>`).join('') || '<p class="muted">none</p>'}
    <h2>Tags not fired</h2>${notFired.map((tag) => `<p class="muted">${escape(tag.name)}</p>`).join('')}
    <h2>Data layer: the push</h2><table>${keys}</table></section></main>`;
  return page('Tag Assistant · Preview', 'the demo page, the container\'s triggers', body, 'Drawn by npm run docs:screenshots: the demo\'s real dataLayer in Chromium; tags fired as the container\'s own triggers match it. Not a capture of Tag Assistant.');
}

function debugViewHtml(pushes) {
  const ga4 = pushes.filter((push) => push.event !== 'Kustomer_Chat_Event');
  const events = ga4.map((push) => {
    const params = Object.entries(push).filter(([key, value]) => key !== 'event' && value !== undefined);
    return `<div class="event"><b>${escape(push.event)}</b><table>${params.map(([key, value]) => `<tr><td style="width:200px"><code>${escape(key)}</code></td><td><code>${escape(value)}</code></td></tr>`).join('')}</table></div>`;
  });
  const body = `<main><section><h2>Events, in order (${ga4.length})</h2>${events.join('')}</section></main>`;
  return page('GA4 · DebugView', 'one visitor, one conversation', body, 'Drawn by npm run docs:screenshots: the GA4 events the library pushed in the demo (gtmDataLayer({ ga4: true })) in Chromium, with their parameters. Not a capture of GA4.');
}

async function main() {
  const container = JSON.parse(await readFile(path.join(repoRoot, 'docs/gtm/kustomer-chat-container.json'), 'utf8')).containerVersion;
  const { file: sdkFile } = await buildSdkBundles();
  const server = await startDemoServer({ port: 0, sdkFile });
  const browser = await launchBrowser();
  try {
    const demo = await openPage(browser, null);
    await demo.goto(`${server.url}/`);
    await demo.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
    for (const id of BUTTONS) await demo.click(`#${id}`);
    await demo.waitForFunction((n) => window.dataLayer.filter((push) => push.event === 'Kustomer_Chat_Event').length >= n, BUTTONS.length, { timeout: 10_000 });
    // Every key, `undefined` ones too: GTM's data model keeps them, and Tag Assistant shows them.
    const pushes = await demo.evaluate(() =>
      window.dataLayer
        .filter((push) => push && typeof push.event === 'string' && !push.event.startsWith('gtm.'))
        .map((push) => Object.fromEntries(Object.keys(push).map((key) => [key, push[key] === undefined ? undefined : push[key]]))),
    );
    const rated = pushes.filter((push) => push.event === 'Kustomer_Chat_Event').findIndex((push) => push.chat_Action === 'satisfaction submitted');
    await mkdir(OUT_DIR, { recursive: true });
    const drawings = { 'gtm-import.png': importHtml(container), 'tag-assistant.png': tagAssistantHtml(container, pushes, Math.max(rated, 0)), 'ga4-debugview.png': debugViewHtml(pushes) };
    const canvas = await openPage(browser, null);
    await canvas.setViewportSize({ width: 1100, height: 600 });
    for (const [file, html] of Object.entries(drawings)) {
      await canvas.setContent(html);
      await canvas.screenshot({ path: path.join(OUT_DIR, file), fullPage: true });
      console.log(`docs/images/${file}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
