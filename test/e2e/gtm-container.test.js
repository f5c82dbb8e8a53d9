// The GTM container's Custom HTML tag in real Chromium, fired the way GTM fires it (variables as macro calls,
// scripts re-created from their text alone), on pages whose GTM snippet renames the data layer; and the hosted
// file, whose options stay data-* attributes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_CONVERSATION_LABELS as WHOLE_CHAT, loadBothAndChat, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { compileTag, injectTag } from '../support/gtm-injection.js';
import { CONTAINER_FILE, DATA_LAYER_NAME_VARIABLE } from '../../scripts/build-gtm-container.js';

const version = JSON.parse(readFileSync(CONTAINER_FILE, 'utf8')).containerVersion;
const valueOf = (entity, key) => entity.parameter.find((p) => p.key === key).value;
const tagHtml = valueOf(version.tag.find((tag) => tag.type === 'html'), 'html');
const constants = Object.fromEntries(version.variable.filter((v) => v.type === 'c').map((v) => [v.name, valueOf(v, 'value')]));

let e2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.close());

/** A page whose GTM snippet was given the data layer `name`: it holds GTM's first push. */
const gtmSnippetFor = (name) => `<script>window[${JSON.stringify(name)}] = [{ 'gtm.start': Date.now(), event: 'gtm.js' }];</script>`;

/** The chat actions pushed to each named data layer of the page (null: no such global). */
function chatActionsIn(page, names) {
  return page.evaluate(
    (layers) =>
      Object.fromEntries(
        layers.map((name) => [name, Array.isArray(window[name]) ? window[name].filter((e) => e.event === 'Kustomer_Chat_Event').map((e) => e.chat_Action) : null]),
      ),
    names,
  );
}

describe('the GTM container in real Chromium', () => {
  for (const name of ['dl2', 'dataLayer']) {
    it(`reports a whole chat into the data layer the Constant variable names (${name}), and into no other`, async () => {
      const page = await e2e.open(`<!doctype html>${gtmSnippetFor(name)}${standInScript}`);
      await standInReady(page);
      const tag = compileTag(tagHtml, { ...constants, [DATA_LAYER_NAME_VARIABLE]: name });
      expect(await page.evaluate(injectTag, tag)).toBe(1);
      await loadBothAndChat(page);

      const other = name === 'dataLayer' ? 'dl2' : 'dataLayer';
      expect(await chatActionsIn(page, [name, other])).toEqual({ [name]: WHOLE_CHAT, [other]: null });
      expect(page.pageErrors).toEqual([]);
      expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
    });
  }
});

describe('the hosted drop-in keeps its data-* options', () => {
  it('reports into the data layer data-data-layer names', async () => {
    const page = await e2e.open(`<!doctype html>${gtmSnippetFor('dl2')}<script src="/dist/kustomer-chat-gtm.min.js" data-data-layer="dl2"></script>${standInScript}`);
    await standInReady(page);
    await loadBothAndChat(page);
    expect(await chatActionsIn(page, ['dl2', 'dataLayer'])).toEqual({ dl2: WHOLE_CHAT, dataLayer: null });
    expect(page.pageErrors).toEqual([]);
  });

  it('lets a settings object set before it win over its attributes', async () => {
    const page = await e2e.open(`<!doctype html>${gtmSnippetFor('dl3')}
      <script>window.KustomerChatAnalyticsSettings = { dataLayerName: 'dl3' };</script>
      <script src="/dist/kustomer-chat-gtm.min.js" data-data-layer="dl2"></script>`);
    await page.evaluate(() => window.KustomerChatAnalytics.emit('proactive_trigger'));
    expect(await chatActionsIn(page, ['dl3', 'dl2', 'dataLayer'])).toEqual({ dl3: ['proactive trigger'], dl2: null, dataLayer: null });
  });
});
