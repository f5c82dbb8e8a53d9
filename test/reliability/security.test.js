/**
 * What a careful host page asks of a third-party script:
 *  - no eval, Function constructor, string timers or HTML sinks in any built bundle (scripts/check-bundles.js);
 *  - it runs under a strict Content-Security-Policy (no 'unsafe-eval', no 'unsafe-inline', Trusted Types
 *    required) without one violation;
 *  - it adds no global but its own (and says which accessors it needs to see the widget arrive);
 *  - payload keys cannot pollute Object.prototype, not even through allowFields paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanBundles } from '../../scripts/check-bundles.js';
import { startE2e } from '../../support/e2e-page.js';
import { reliabilityReport } from '../support/reliability-report.js';

const report = reliabilityReport('security');
const NONCE = 'r4nd0mN0nce';
const CSP = `default-src 'self'; script-src 'self' 'nonce-${NONCE}' 'report-sample'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'`;
const standIn = `<script type="module" nonce="${NONCE}">
  import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
  window.kustomer = installKustomerStandIn(window);
</script>`;

let e2e;
beforeAll(async () => {
  e2e = await startE2e();
});
const checks = [];
function check(what, observed, holds) {
  checks.push({ check: what, observed, holds: holds ? 'yes' : 'NO' });
}
afterAll(async () => {
  await e2e?.close();
  // after the bundle rows, whatever order the tests ran in
  for (const row of checks) report.row(row, 'In real Chromium');
  await report.save();
});

describe('built bundles', () => {
  it('contain no eval, Function constructor, string timer, HTML sink or dynamic import', () => {
    const results = scanBundles();
    const findings = (list) => list.flatMap((result) => result.findings.map((f) => `${result.file}:${f.line} ${f.rule}`)).join('; ') || 'none';
    // Shared chunks carry content hashes in their names: one row for all of them keeps the document stable.
    const chunks = results.filter((result) => result.file.startsWith('dist/chunks/'));
    for (const result of results.filter((r) => !chunks.includes(r))) {
      report.row({ bundle: result.file, bytes: result.bytes, 'syntax nodes checked': result.nodes, findings: findings([result]) }, 'Bundles in dist/ (parsed with acorn)');
    }
    const sum = (key) => chunks.reduce((n, result) => n + result[key], 0);
    report.row({ bundle: `dist/chunks/ (${chunks.length} files)`, bytes: sum('bytes'), 'syntax nodes checked': sum('nodes'), findings: findings(chunks) }, 'Bundles in dist/ (parsed with acorn)');
    report.note('Scanned by `node scripts/check-bundles.js` (exits 1 on any finding): eval (direct, indirect, `window.eval`), the Function constructor (also through `.constructor(code)`), setTimeout/setInterval/setImmediate with code in a string, innerHTML/outerHTML/srcdoc assignments, document.write, insertAdjacentHTML, createContextualFragment, DOMParser, dynamic import().');
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.map((result) => result.file)).toEqual(expect.arrayContaining(['dist/kustomer-chat-gtm.min.js', 'dist/index.js', 'dist/index.cjs']));
    expect(results.flatMap((result) => result.findings.map((finding) => `${result.file}:${finding.line} ${finding.rule}: ${finding.code}`))).toEqual([]);
  });
});

describe('in real Chromium', () => {
  it('runs the drop-in and the ESM builds under a strict CSP without a single violation', async () => {
    const page = await e2e.open(
      `<!doctype html>
      <script nonce="${NONCE}">
        window.violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
        try { eval('"eval canary"'); window.evalAllowed = true; } catch { window.evalAllowed = false; }
      </script>
      <script>window.inlineRan = true; /* canary */</script>
      <script src="/dist/kustomer-chat-gtm.full.min.js" data-debug></script>
      ${standIn}
      <script type="module" nonce="${NONCE}">
        import { createChatTracker } from '/dist/index.js';
        import { ga4DataLayer } from '/dist/gtm.js';
        import { gtagDestination } from '/dist/gtag.js';
        import { segmentDestination } from '/dist/segment.js';
        import { rudderstackDestination } from '/dist/rudderstack.js';
        window.calls = [];
        const sdk = { track: (...args) => window.calls.push(args), ready: (callback) => callback() };
        window.gtag = (...args) => window.calls.push(args);
        window.esmTracker = createChatTracker({ destinations: [ga4DataLayer({ dataLayerName: 'ga4Layer' }), gtagDestination(), segmentDestination(sdk), rudderstackDestination(sdk)] }).start();
      </script>`,
      { headers: { 'Content-Security-Policy': CSP } },
    );
    await page.waitForFunction(() => Boolean(window.kustomer && window.esmTracker));
    const result = await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.loadCore();
      window.KustomerCore.init({});
      await k.initialized();
      k.fullConversationNow('conv_csp');
      window.KustomerChatAnalytics.emit('proactive_trigger');
      await new Promise((resolve) => setTimeout(resolve, 100));
      return {
        violations: window.violations,
        evalAllowed: window.evalAllowed,
        inlineRan: window.inlineRan === true,
        pushes: window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event').length,
        esmCalls: window.calls.length,
      };
    });
    // the page's own probes: the inline script without a nonce, and eval (refused by script-src and Trusted Types)
    const canary = (v) => String(v.sample).includes('canary');
    const others = result.violations.filter((v) => !canary(v));
    // Chromium logs each canary too: one message for the inline script, one for eval under Trusted Types.
    const canaryMessages = [/inline script/i, /TrustedScript/];
    const consoleErrors = page.consoleMessages.filter((m) => {
      if (m.type !== 'error') return false;
      const i = canaryMessages.findIndex((pattern) => pattern.test(m.text));
      if (i < 0) return true;
      canaryMessages.splice(i, 1);
      return false;
    });
    check('CSP is enforced: the page\'s own eval and inline-script canaries are refused and reported', `eval allowed: ${result.evalAllowed}; inline canary ran: ${result.inlineRan}; canary violations: ${result.violations.length - others.length}`, !result.evalAllowed && !result.inlineRan && result.violations.length > others.length);
    check(`CSP \`${CSP}\`: violations by the drop-in, the ESM builds and the stand-in`, `${others.length}; console errors: ${consoleErrors.length}; page errors: ${page.pageErrors.length}`, !others.length && !consoleErrors.length && !page.pageErrors.length);
    check('events delivered under that CSP', `drop-in dataLayer: ${result.pushes}; ESM destinations: ${result.esmCalls} calls`, result.pushes === 9 && result.esmCalls === 8 * 3);
    report.total('escaped', page.pageErrors.length);
    expect(result.evalAllowed).toBe(false);
    expect(result.inlineRan).toBe(false);
    expect(result.violations.filter(canary).map((v) => v.directive).sort()).toEqual(['require-trusted-types-for', 'script-src-elem']);
    expect(others).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(result.pushes).toBe(9);
    // 8 chat events to gtag, Segment and RudderStack (the ga4 layer is an array, not a call)
    expect(result.esmCalls).toBe(8 * 3);
  });

  it('adds no global but window.KustomerChatAnalytics, and leaves window.Kustomer alone until the widget creates it', async () => {
    const page = await e2e.open(`<!doctype html>
      <script>
        window.namesBefore = Object.getOwnPropertyNames(window);
        window.symbolsBefore = Object.getOwnPropertySymbols(window);
      </script>
      <script src="/dist/kustomer-chat-gtm.min.js"></script>
      <script>
        window.added = Object.getOwnPropertyNames(window).filter((name) => !namesBefore.includes(name) && name !== 'namesBefore' && name !== 'symbolsBefore');
        window.addedSymbols = Object.getOwnPropertySymbols(window).filter((symbol) => !symbolsBefore.includes(symbol)).map(String);
      </script>`);
    const seen = await page.evaluate(() => {
      const result = { added: window.added.sort(), addedSymbols: window.addedSymbols, kustomerInWindow: 'Kustomer' in window, dataLayer: 'dataLayer' in window };
      window.KustomerChatAnalytics.stop();
      result.afterStop = Object.getOwnPropertyNames(window).filter((name) => !window.namesBefore.includes(name) && !['namesBefore', 'symbolsBefore', 'added', 'addedSymbols'].includes(name)).sort();
      return result;
    });
    check(
      'globals added by the drop-in on a page without the widget',
      `${seen.added.join(', ')}; symbols: ${seen.addedSymbols.join(', ')}; after stop(): ${seen.afterStop.join(', ')}`,
      seen.added.join() === 'KustomerChatAnalytics' && seen.afterStop.join() === 'KustomerChatAnalytics',
    );
    check(
      'window.Kustomer before the widget loads',
      `\`'Kustomer' in window\` is ${seen.kustomerInWindow}; no dataLayer until the first event: ${!seen.dataLayer}`,
      !seen.kustomerInWindow && !seen.dataLayer,
    );
    expect(seen.added).toEqual(['KustomerChatAnalytics']);
    // Shared by every copy of the library on the page, so that they attach one set of Kustomer listeners.
    expect(seen.addedSymbols).toEqual(['Symbol(kustomer-chat-analytics.hub.v1)']);
    expect(seen.kustomerInWindow).toBe(false);
    expect(seen.dataLayer).toBe(false);
    expect(seen.afterStop).toEqual(['KustomerChatAnalytics']);
    expect(page.pageErrors).toEqual([]);
  });

  it('cannot be made to pollute Object.prototype by __proto__ or constructor keys, even through allowFields', async () => {
    const page = await e2e.open(`<!doctype html>
      ${standIn}
      <script type="module" nonce="${NONCE}">
        import { createChatTracker } from '/dist/index.js';
        window.received = [];
        window.tracker = createChatTracker({
          destinations: [{ name: 'recorder', send: (event) => window.received.push(event) }],
          allowFields: ['__proto__', '__proto__.polluted', 'constructor.prototype.polluted', 'meta.__proto__.polluted', 'prototype', 'polluted', 'meta.polluted', 'toString', 'hasOwnProperty'],
        }).start();
      </script>`);
    await page.waitForFunction(() => Boolean(window.kustomer && window.tracker));
    const result = await page.evaluate(async () => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort().join();
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.loadCore();
      window.KustomerCore.init({});
      await k.initialized();
      const poison = '"__proto__":{"polluted":"yes","conversationId":"proto_conv","rating":5},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}';
      let fired = 0;
      for (let i = 0; i < 50; i++) {
        const payload = JSON.parse(`{${poison},"conversationId":"conv_${i}","messageId":"m_${i}","meta":{${poison}},"response":{${poison},"rating":${i % 6}},"change":{${poison}},"total":${i + 1}}`);
        for (const name of ['onConversationCreate', 'onUnread', 'onLogin']) {
          k.fireWidget(name, payload);
          fired++;
        }
        for (const name of ['onMessageSent', 'onMessageReceived', 'onSatisfactionReceived', 'onConversationEnded']) {
          k.fireCore(name, payload);
          fired++;
        }
      }
      return {
        fired,
        received: window.received.length,
        polluted: {}.polluted !== undefined || [].polluted !== undefined || Object.prototype.polluted !== undefined,
        prototypeChanged: Object.getOwnPropertyNames(Object.prototype).sort().join() !== before,
        extras: [...new Set(window.received.flatMap((event) => Object.keys(event.extra || {})))],
        protoConversations: window.received.filter((event) => event.conversationId === 'proto_conv').length,
        listenerErrors: k.state.listenerErrors.length,
      };
    });
    check('Object.prototype after poisoned payloads and allowFields through __proto__ / constructor', `${result.fired} payloads; polluted: ${result.polluted}; prototype changed: ${result.prototypeChanged}; extra keys forwarded: ${result.extras.join(', ') || 'none'}`, !result.polluted && !result.prototypeChanged && !result.protoConversations);
    expect(result.received).toBeGreaterThan(100);
    expect(result.polluted).toBe(false);
    expect(result.prototypeChanged).toBe(false);
    expect(result.protoConversations).toBe(0);
    // only own, primitive values are forwarded: 'polluted' is never an own key of the payload itself
    expect(result.extras).toEqual([]);
    expect(result.listenerErrors).toBe(0);
    expect(page.pageErrors).toEqual([]);
  });
});
