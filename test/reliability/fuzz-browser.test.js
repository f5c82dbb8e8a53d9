/**
 * The same payload generators as the node fuzz, bundled for the browser and run inside a real Chromium page
 * against the built drop-in (its full build, dist/kustomer-chat-gtm.full.min.js, with data-debug so every debug message goes through
 * the page's console too): payloads are made in the page's own realm, then fired through the Kustomer stand-in.
 */
import { build } from 'esbuild';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { reliabilityReport } from '../support/reliability-report.js';
import { CORE_EVENT_NAMES, WIDGET_EVENT_NAMES } from './payloads.js';

const PER_NAME = 300;
const SEED = Number(process.env.FUZZ_SEED) || 20_240_601;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const LABELS = ['chat opened', 'chat closed', 'conversation started', 'message sent', 'message received', 'satisfaction requested', 'satisfaction submitted', 'assistant ended', 'conversation ended', 'conversation reopened'];
const report = reliabilityReport('fuzz-browser');

/** Bundles test/reliability/payloads.js (with fast-check) into a classic script defining window.ReliabilityPayloads. */
async function bundlePayloads() {
  const dir = path.join(repoRoot, 'test/.cache/reliability');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'payloads.browser.js');
  const tmp = `${file}.${process.pid}.tmp`;
  await build({ entryPoints: [path.join(repoRoot, 'test/reliability/payloads.js')], bundle: true, format: 'iife', globalName: 'ReliabilityPayloads', platform: 'browser', target: 'es2020', outfile: tmp, logLevel: 'silent' });
  await rename(tmp, file);
  return '/test/.cache/reliability/payloads.browser.js';
}

let e2e;
let payloadsUrl;
beforeAll(async () => {
  [e2e, payloadsUrl] = await Promise.all([startE2e(), bundlePayloads()]);
});
afterAll(async () => {
  await e2e?.close();
  await report.save();
});

describe('fuzzing the built drop-in in real Chromium', () => {
  it(`survives ${PER_NAME} generated payloads per event name with no page error and only valid dataLayer pushes`, async () => {
    const page = await e2e.open(`<!doctype html>
      <script src="/dist/kustomer-chat-gtm.full.min.js" data-debug></script>
      <script src="${payloadsUrl}"></script>
      ${standInScript}`);
    await standInReady(page);
    const prototypeBefore = await page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).sort().join());
    const result = await page.evaluate(
      async ({ widgetNames, coreNames, perName, seed }) => {
        const { fc, payloadArb, errorArb, materialize, LEAK_PATTERN } = window.ReliabilityPayloads;
        const k = window.kustomer;
        await k.loadStartedWidget();
        k.loadCore();
        window.KustomerCore.init({});
        await k.initialized();
        const perEvent = [];
        const names = [...widgetNames.map((name) => ['widget', name]), ...coreNames.map((name) => ['core', name])];
        names.forEach(([origin, name], index) => {
          const before = (window.dataLayer || []).length;
          const samples = fc.sample(fc.tuple(payloadArb, errorArb), { numRuns: perName, seed: seed + index });
          for (const [payload, error] of samples) {
            if (origin === 'widget') k.fireWidget(name, materialize(payload), materialize(error));
            else k.fireCore(name, materialize(payload), materialize(error));
          }
          perEvent.push({ origin, name, tried: samples.length, pushes: (window.dataLayer || []).length - before });
        });
        const dataLayer = window.dataLayer || [];
        return {
          perEvent,
          listenerErrors: k.state.listenerErrors.map((entry) => String(entry.error)),
          leaked: LEAK_PATTERN.test(JSON.stringify(dataLayer)),
          // undefined survives the trip to node as a string, so the layout can be checked key by key
          pushes: dataLayer.map((entry) => Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, value === undefined ? '(undefined)' : value]))),
          polluted: {}.polluted !== undefined || [].polluted !== undefined,
          prototype: Object.getOwnPropertyNames(Object.prototype).sort().join(),
        };
      },
      { widgetNames: WIDGET_EVENT_NAMES, coreNames: CORE_EVENT_NAMES, perName: PER_NAME, seed: SEED },
    );

    const invalid = result.pushes.filter(
      (push) =>
        Object.keys(push).join() !== 'event,chat_Action,conversationId,satisfactionScore,chatAvailability,eventId' ||
        !(push.chatAvailability === '(undefined)' || ['online', 'offline', 'hidden', 'disabled', 'none'].includes(push.chatAvailability)) ||
        push.event !== 'Kustomer_Chat_Event' ||
        !LABELS.includes(push.chat_Action) ||
        !(push.conversationId === '(undefined)' || ID.test(push.conversationId)) ||
        !(push.satisfactionScore === '(undefined)' || (Number.isFinite(push.satisfactionScore) && push.satisfactionScore >= 0 && push.satisfactionScore <= 100)) ||
        !ID.test(push.eventId),
    );
    const eventIds = result.pushes.map((push) => push.eventId);
    const duplicates = eventIds.length - new Set(eventIds).size;
    const polluted = result.polluted || result.prototype !== prototypeBefore;
    const holds = !page.pageErrors.length && !result.listenerErrors.length && !invalid.length && !duplicates && !result.leaked && !polluted;
    for (const { origin, name, tried, pushes } of result.perEvent) report.row({ SDK: origin, 'event name': name, payloads: tried, 'dataLayer pushes': pushes }, 'Payloads per event name');
    report.row({
      payloads: result.perEvent.reduce((n, row) => n + row.tried, 0),
      'dataLayer pushes': result.pushes.length,
      'invalid pushes': invalid.length,
      'duplicate event ids': duplicates,
      'page errors': page.pageErrors.length,
      'exceptions reaching Kustomer': result.listenerErrors.length,
      'planted values leaked': result.leaked ? 1 : 0,
      'prototype polluted': polluted ? 'yes' : 'no',
      holds: holds ? 'yes' : 'NO',
    }, 'What holds over all of them');
    report.note(`Seed ${SEED} (+ index of the event name); widget and headless core both started, so the widget's unread count defers to the core's messages. The drop-in runs with \`data-debug\`: every hostile detail also goes through the page's console.`);
    report.total('payloads', result.perEvent.reduce((n, row) => n + row.tried, 0));
    report.total('leaks', result.leaked ? 1 : 0);
    report.total('escaped', page.pageErrors.length + result.listenerErrors.length);

    expect(page.pageErrors).toEqual([]);
    expect(result.listenerErrors).toEqual([]);
    expect(invalid).toEqual([]);
    expect(duplicates).toBe(0);
    expect(result.leaked).toBe(false);
    expect(polluted).toBe(false);
    expect(result.pushes.length).toBeGreaterThan(0);
    expect(page.consoleMessages.some((message) => message.text.includes('dropped invalid'))).toBe(true);
  });
});
