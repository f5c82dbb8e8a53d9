// The GTM container a marketer imports (docs/gtm/kustomer-chat-container.json): its shape is what GTM's
// Import Container expects, its references all resolve, its Custom HTML tag is the current ES5 drop-in and
// passes GTM's ES5 check, and, run the way GTM runs it, a chat makes the GA4 tags fire with the right
// parameters, into whatever data layer the Constant variable names.
import { readFileSync } from 'node:fs';
import { parse } from 'acorn';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { ACTION_LABELS } from '../../core/schema';
import { GA4_EVENT_NAMES } from '../../plugins/shared/ga4';
import { FULL_CONVERSATION_ACTIONS, installKustomerStandIn } from '../../support/kustomer-stand-in.js';
import { compileTag, injectTag } from '../support/gtm-injection.js';
import {
  CONTAINER_FILE,
  DATA_LAYER_NAME_VARIABLE,
  DROP_IN_FILE,
  ES5_DROP_IN_FILE,
  STALE_CONTAINER,
  containerJson,
  scriptsOf,
  tagHtml,
} from '../../scripts/build-gtm-container.js';

type Parameter = { type: string; key?: string; value?: string; list?: Parameter[]; map?: Parameter[] };
type Entity = Record<string, unknown> & { name: string; type: string; parameter?: Parameter[] };
type Tag = Entity & { tagId: string; firingTriggerId: string[] };
type Trigger = Entity & { triggerId: string; customEventFilter?: Condition[]; filter?: Condition[] };
type Variable = Entity & { variableId: string };
type Condition = { type: string; parameter: Parameter[] };

const container = JSON.parse(readFileSync(CONTAINER_FILE, 'utf8'));
const version = container.containerVersion;
const tags: Tag[] = version.tag;
const triggers: Trigger[] = version.trigger;
const variables: Variable[] = version.variable;

const param = (entity: { parameter?: Parameter[] }, key: string) => entity.parameter?.find((p) => p.key === key);
const tagNamed = (name: string) => tags.find((tag) => tag.name === name)!;
const ga4Tags = () => tags.filter((tag) => tag.type === 'gaawe');
const ga4Parameters = (tag: Tag) =>
  Object.fromEntries(param(tag, 'eventSettingsTable')!.list!.map(({ map }) => [map!.find((p) => p.key === 'parameter')!.value, map!.find((p) => p.key === 'parameterValue')!.value]));

/** Every string in the container, with where it is, to find {{Variable}} references anywhere. */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

describe('the GTM container', () => {
  // The test run's build (npm run build:dist) leaves the committed file alone: a stale one fails here.
  it('is committed as scripts/build-gtm-container.js writes it from the current build', () => {
    expect(readFileSync(CONTAINER_FILE, 'utf8') === containerJson(), STALE_CONTAINER).toBe(true);
  });

  it('has the shape of a GTM export (format 2) with tags, triggers and variables', () => {
    expect(container.exportFormatVersion).toBe(2);
    expect(version).toMatchObject({ accountId: expect.any(String), containerId: expect.any(String), container: { usageContext: ['WEB'] } });
    for (const [list, idKey] of [[tags, 'tagId'], [triggers, 'triggerId'], [variables, 'variableId']] as const) {
      expect(list.length).toBeGreaterThan(0);
      for (const entity of list as Entity[]) {
        expect(entity, entity.name).toMatchObject({ accountId: version.accountId, containerId: version.containerId, name: expect.any(String), type: expect.any(String) });
        expect(entity[idKey], entity.name).toMatch(/^\d+$/);
      }
      const ids = (list as Entity[]).map((entity) => entity[idKey]);
      expect(new Set(ids).size, `${idKey} values are unique`).toBe(ids.length);
      const names = (list as Entity[]).map((entity) => entity.name);
      expect(new Set(names).size, 'names are unique').toBe(names.length);
    }
    for (const tag of tags) expect(tag.parameter, tag.name).toEqual(expect.any(Array));
  });

  it('fires every tag from a trigger defined in the file', () => {
    const triggerIds = new Set(triggers.map((trigger) => trigger.triggerId));
    for (const tag of tags) {
      expect(tag.firingTriggerId.length, tag.name).toBeGreaterThan(0);
      for (const id of tag.firingTriggerId) expect(triggerIds.has(id), `${tag.name} -> trigger ${id}`).toBe(true);
    }
  });

  it('refers only to variables it defines or to GTM built-ins', () => {
    // {{_event}} is how an export spells the built-in Event variable.
    const known = new Set([...variables.map((v) => v.name), '_event', ...(version.builtInVariable ?? []).map((v: { name: string }) => v.name)]);
    const references = strings(version).flatMap(([at, text]) => [...text.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => [at, m[1]]));
    expect(references.length).toBeGreaterThan(0);
    for (const [at, name] of references) expect(known.has(name), `{{${name}}} at ${at}`).toBe(true);
  });

  it('carries the current ES5 drop-in build in a plain <script> of its Custom HTML tag', () => {
    const html = tags.filter((tag) => tag.type === 'html');
    expect(html).toHaveLength(1);
    // The build minus its source map comment (the map is not on the site).
    const build = readFileSync(ES5_DROP_IN_FILE, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '').trim();
    expect(build.length).toBeGreaterThan(1000);
    const value = param(html[0], 'html')!.value!;
    const stale = `the tag holds an older build: ${STALE_CONTAINER}`;
    expect(value === tagHtml(build), stale).toBe(true);
    // No text/gtmscript and no attribute at all: GTM keeps only id, text and charset of a script it re-creates.
    expect(value.match(/<script\b[^>]*>/gi)).toEqual(['<script>']);
    expect(value).not.toContain('gtmscript');
  });

  it('has every script of every Custom HTML tag in ES5 syntax, as GTM checks it', () => {
    const es5 = (code: string) => parse(code, { ecmaVersion: 5, sourceType: 'script' });
    const html = tags.filter((tag) => tag.type === 'html').map((tag) => param(tag, 'html')!.value!);
    const scripts = html.flatMap(scriptsOf);
    expect(scripts.length).toBeGreaterThan(0);
    const constants = Object.fromEntries(variables.filter((v) => v.type === 'c').map((v) => [v.name, param(v, 'value')!.value!]));
    for (const script of scripts) {
      // As GTM serves it ({{Variable}} becomes a macro call), and with each variable's value pasted as a string.
      expect(() => es5(compileTag(script, constants).html), script.slice(0, 200)).not.toThrow();
      expect(() => es5(script.replace(/\{\{([^}]+)\}\}/g, (_: string, name: string) => JSON.stringify(constants[name])))).not.toThrow();
    }
    // The check can fail: the ES2020 drop-in (the hosted file) is rejected with the error GTM reports for it.
    expect(() => es5(readFileSync(DROP_IN_FILE, 'utf8'))).toThrow(/'const' is reserved|Unexpected token/);
  });

  it('takes the data layer name from a Constant variable, default dataLayer, used by the Custom HTML tag', () => {
    const variable = variables.find((v) => v.name === DATA_LAYER_NAME_VARIABLE)!;
    expect(variable).toMatchObject({ type: 'c', parameter: [{ type: 'TEMPLATE', key: 'value', value: 'dataLayer' }] });
    const html = param(tags.find((tag) => tag.type === 'html')!, 'html')!.value!;
    expect(html).toContain(`dataLayerName: {{${DATA_LAYER_NAME_VARIABLE}}}`);
    // The only variable the tag uses: nothing else for a user to set up.
    expect([...html.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1])).toEqual([DATA_LAYER_NAME_VARIABLE]);
  });

  it('reads the listener layout with Data Layer Variables and triggers on Kustomer_Chat_Event', () => {
    const dlv = Object.fromEntries(variables.filter((v) => v.type === 'v').map((v) => [v.name, param(v, 'name')!.value]));
    expect(dlv).toEqual({
      'DLV - chat_Action': 'chat_Action',
      'DLV - conversationId': 'conversationId',
      'DLV - satisfactionScore': 'satisfactionScore',
      'DLV - chatAvailability': 'chatAvailability',
    });
    const chatTriggers = triggers.filter((t) => t.type === 'CUSTOM_EVENT');
    for (const trigger of chatTriggers) {
      expect(trigger.customEventFilter, trigger.name).toEqual([
        { type: 'EQUALS', parameter: [{ type: 'TEMPLATE', key: 'arg0', value: '{{_event}}' }, { type: 'TEMPLATE', key: 'arg1', value: 'Kustomer_Chat_Event' }] },
      ]);
    }
    expect(chatTriggers.some((t) => !t.filter), 'a trigger for every chat action').toBe(true);
  });

  it('has the GA4 Event tags of the GA4 mapping, with their parameters', () => {
    expect(ga4Tags().map((tag) => param(tag, 'eventName')!.value)).toEqual(
      (['chat_opened', 'satisfaction_submitted', 'satisfaction_requested', 'assistant_ended', 'conversation_reopened'] as const).map((action) => GA4_EVENT_NAMES[action]),
    );
    expect(ga4Parameters(tagNamed('GA4 Event - chat_widget_open'))).toEqual({ chat_platform: 'kustomer', chat_availability: '{{DLV - chatAvailability}}' });
    expect(ga4Parameters(tagNamed('GA4 Event - chat_rating'))).toMatchObject({ rating_value: '{{DLV - satisfactionScore}}' });
    for (const tag of ga4Tags()) expect(param(tag, 'measurementIdOverride')!.value).toBe('{{GA4 Measurement ID}}');
  });
});

describe('the container run as GTM runs it', () => {
  type Page = Window & Record<string, unknown> & { KustomerChatAnalytics?: unknown };

  /**
   * A page whose GTM snippet uses the data layer `dataLayerName`, where the Custom HTML tag runs as GTM runs it:
   * its variables resolved by macro calls, its scripts re-created from their text alone. `constants` overrides
   * the container's Constant variables, as a user edits them.
   */
  async function pageWithTag(dataLayerName = 'dataLayer', constants: Record<string, string> = {}) {
    const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'https://shop.test/', runScripts: 'dangerously' });
    // What GTM's snippet leaves in the data layer it is given.
    (window as unknown as Page)[dataLayerName] = [{ 'gtm.start': Date.now(), event: 'gtm.js' }];
    const kustomer = installKustomerStandIn(window, { initDelayMs: 1 });
    const values = { ...Object.fromEntries(variables.filter((v) => v.type === 'c').map((v) => [v.name, param(v, 'value')!.value!])), ...constants };
    const html = param(tags.find((tag) => tag.type === 'html')!, 'html')!.value!;
    expect(injectTag(compileTag(html, values), window as unknown as Window)).toBe(1);
    return { window: window as unknown as Page, kustomer };
  }

  /** GTM's side, reduced to what the container uses: a merged data model, DLVs, EQUALS conditions. */
  function firedGa4Tags(dataLayer: Record<string, unknown>[]) {
    const model: Record<string, unknown> = {};
    const variableKeys = Object.fromEntries(variables.filter((v) => v.type === 'v').map((v) => [v.name, param(v, 'name')!.value!]));
    const constants = Object.fromEntries(variables.filter((v) => v.type === 'c').map((v) => [v.name, param(v, 'value')!.value!]));
    const resolve = (text: string, event: string): unknown => {
      const whole = /^\{\{([^}]+)\}\}$/.exec(text);
      const lookup = (name: string) => (name === '_event' ? event : name in variableKeys ? model[variableKeys[name]] : constants[name]);
      return whole ? lookup(whole[1]) : text.replace(/\{\{([^}]+)\}\}/g, (_, name) => String(lookup(name)));
    };
    const holds = (conditions: Condition[] = [], event: string) =>
      conditions.every((c) => c.type === 'EQUALS' && String(resolve(c.parameter[0].value!, event)) === c.parameter[1].value);
    const fired: Array<{ event: unknown; params: Record<string, unknown> }> = [];
    for (const push of dataLayer) {
      Object.assign(model, push);
      const event = String(push.event);
      for (const tag of ga4Tags()) {
        const trigger = triggers.find((t) => t.triggerId === tag.firingTriggerId[0])!;
        if (trigger.type !== 'CUSTOM_EVENT' || !holds(trigger.customEventFilter, event) || !holds(trigger.filter, event)) continue;
        const params = Object.fromEntries(Object.entries(ga4Parameters(tag)).map(([name, value]) => [name, resolve(value as string, event)]));
        fired.push({ event: param(tag, 'eventName')!.value, params });
      }
    }
    return fired;
  }

  const WHOLE_CHAT = FULL_CONVERSATION_ACTIONS.map(
    (a) => ACTION_LABELS[a as keyof typeof ACTION_LABELS],
  );
  const chatActions = (dataLayer: unknown) => (dataLayer as Record<string, unknown>[]).filter((push) => push.event === 'Kustomer_Chat_Event').map((push) => push.chat_Action);

  it('starts the drop-in, and a whole chat fires chat_widget_open, chat_rating_request and chat_rating once each', async () => {
    const { window, kustomer } = await pageWithTag();
    expect(window.KustomerChatAnalytics).toBeDefined();
    await kustomer.loadStartedWidgetAndCore();
    await kustomer.fullConversation('conv_abc123');

    const dataLayer = window.dataLayer as Record<string, unknown>[];
    expect(chatActions(dataLayer)).toEqual(WHOLE_CHAT);
    expect(firedGa4Tags(dataLayer)).toEqual([
      { event: 'chat_widget_open', params: { chat_platform: 'kustomer', chat_availability: 'online' } },
      { event: 'chat_rating_request', params: { chat_platform: 'kustomer', conversation_id: 'conv_abc123' } },
      { event: 'chat_rating', params: { chat_platform: 'kustomer', rating_value: 5, conversation_id: 'conv_abc123' } },
    ]);
    expect(kustomer.state.listenerErrors).toEqual([]);
  });

  it('reports into a renamed data layer when the Constant variable names it, and nothing into dataLayer', async () => {
    const { window, kustomer } = await pageWithTag('dl2', { [DATA_LAYER_NAME_VARIABLE]: 'dl2' });
    await kustomer.loadStartedWidgetAndCore();
    await kustomer.fullConversation('conv_abc123');

    expect(chatActions(window.dl2)).toEqual(WHOLE_CHAT);
    expect(firedGa4Tags(window.dl2 as Record<string, unknown>[]).map((fired) => fired.event)).toEqual(['chat_widget_open', 'chat_rating_request', 'chat_rating']);
    expect(window.dataLayer).toBeUndefined();
    expect(kustomer.state.listenerErrors).toEqual([]);
  });

  it('loses data-* options on the way, as GTM does: the reason the tag sets its options in code', async () => {
    // The old tag's way: an option on the script element. GTM re-creates the script without it.
    const build = readFileSync(ES5_DROP_IN_FILE, 'utf8');
    const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://shop.test/', runScripts: 'dangerously' });
    const page = window as unknown as Page;
    page.dl2 = [];
    injectTag(compileTag(`<script data-data-layer="dl2">${build}</script>`, {}), window as unknown as Window);
    (page.KustomerChatAnalytics as { emit(action: string): void }).emit('proactive_trigger');
    expect(chatActions(page.dl2)).toEqual([]);
    expect(chatActions(page.dataLayer)).toEqual(['proactive trigger']);
  });
});
