/**
 * How to load the REAL Segment and RudderStack SDKs in a test page so that their
 * only network peer is the local collector (support/collector.js).
 * Requires the bundle from sdk-bundles.js (window.TestSDKs) to be loaded first.
 *
 *   segmentLoadSnippet(collectorUrl, { global = 'analytics', plugins = '[]' })
 *     -> JS source: window[global] = AnalyticsBrowser.load(...)   (buffered; usable at once)
 *        `plugins` is a JS *expression* (source text) evaluated in the page.
 *        Delivery: one fetch POST per event to `${collectorUrl}/v1/<t|p|i|g|a>`
 *        (first letter of the event type), body = the event JSON (text/plain).
 *   rudderLoadSnippet(collectorUrl, { global = 'rudderanalytics', loadOptions = '{}' })
 *     -> JS source: window[global] = new RudderAnalytics(); .load(...)
 *        window[global + 'Ready'] = Promise resolved by ready().
 *        `loadOptions` is a JS expression merged over the defaults below.
 *        Delivery: one XHR POST per event to `${collectorUrl}/v1/<track|page|identify|…>`,
 *        body = the event JSON, headers Authorization: Basic base64(writeKey:) + AnonymousId.
 *   sdkPageHtml(collectorUrl, { head = '', body = '' })
 *     -> a whole HTML page: <script src=/sdks.js>, both load snippets, then `body` (JS).
 *
 * Write keys: SEGMENT_WRITE_KEY ('test-key'), RUDDER_WRITE_KEY ('test-write-key').
 *
 * Verified behaviour (Segment 1.84.3, RudderStack 3.34.1, Chromium 156):
 *  - Neither SDK requests anything but the collector with these options.
 *  - Both deliver each event immediately (no batching): ~15-60 ms after track().
 *  - Both retry on HTTP 5xx (Segment: X-Retry-Count header, ~0.2 s then ~2 s backoff;
 *    RudderStack: Rsa-Retry-Attempt header, backoff from queueOptions.minRetryDelay).
 *  - RudderStack with { useBeacon: true } uses navigator.sendBeacon (text/plain) to
 *    /beacon/v1/batch?writeKey=…, flushed only every 10 min unless
 *    beaconQueueOptions.flushQueueInterval is lowered (e.g. 50).
 *  - RudderStack with queueOptions.batch.enabled POSTs { batch: [...] } to /v1/batch.
 *  - RudderStack stores rl_anonymous_id / rl_page_init_referrer cookies (plain JSON with
 *    plugins: ['XhrQueue']; RS_ENC_v3_ encrypted if `plugins` is omitted) and its retry
 *    queue in localStorage (rudder_<writeKey>.<uuid>.queue …). Use a fresh browser
 *    context per test (openPage does) to isolate state.
 */

export const SEGMENT_WRITE_KEY = 'test-key';
export const RUDDER_WRITE_KEY = 'test-write-key';

const hostOf = (collectorUrl) => new URL(collectorUrl).host; // '127.0.0.1:PORT'

/** Segment settings: `cdnSettings` given inline means NO fetch of cdn.segment.com/v1/projects/<key>/settings. */
export function segmentSettingsSource(collectorUrl, plugins = '[]') {
  return `{
    writeKey: ${JSON.stringify(SEGMENT_WRITE_KEY)},
    cdnSettings: {
      integrations: {
        'Segment.io': {
          apiKey: ${JSON.stringify(SEGMENT_WRITE_KEY)},
          apiHost: ${JSON.stringify(hostOf(collectorUrl) + '/v1')}, // URL = protocol://apiHost/t
          protocol: 'http',
        },
      },
      metrics: { sampleRate: 0 }, // never POST /m metrics
    },
    plugins: ${plugins},
  }`;
}

export function segmentLoadSnippet(collectorUrl, { global = 'analytics', plugins = '[]' } = {}) {
  return `window[${JSON.stringify(global)}] = window.TestSDKs.AnalyticsBrowser.load(
    ${segmentSettingsSource(collectorUrl, plugins)},
    { disableClientPersistence: true } // no ajs_* cookies/localStorage; in-memory retry queue
  );`;
}

/** RudderStack v3 load options: nothing fetched from api.rudderstack.com / cdn.rudderlabs.com. */
export function rudderLoadOptionsSource(loadOptions = '{}') {
  return `Object.assign({
    // inline source config instead of GET api.rudderstack.com/sourceConfig
    getSourceConfig: () => ({
      source: { id: 'src', name: 'test', workspaceId: 'ws', enabled: true, config: {}, destinations: [] },
    }),
    plugins: ['XhrQueue'],       // the only plugin needed to deliver to the data plane
    polyfillIfRequired: false,   // never load polyfill-fastly.io
    loadIntegration: false,      // no device-mode destination SDKs from the CDN
    sessions: { autoTrack: false },
    queueOptions: { minRetryDelay: 100, maxRetryDelay: 1000 },
    logLevel: 'ERROR',
  }, ${loadOptions})`;
}

export function rudderLoadSnippet(collectorUrl, { global = 'rudderanalytics', loadOptions = '{}' } = {}) {
  const g = JSON.stringify(global);
  return `(() => {
    const ra = new window.TestSDKs.RudderAnalytics(); // singleton; also sets window.rudderanalytics
    window[${g}] = ra;
    window[${g} + 'Ready'] = new Promise((resolve) => ra.ready(() => resolve(true)));
    ra.load(${JSON.stringify(RUDDER_WRITE_KEY)}, ${JSON.stringify(collectorUrl)}, ${rudderLoadOptionsSource(loadOptions)});
  })();`;
}

export function sdkPageHtml(collectorUrl, { head = '', body = '' } = {}) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>sdk test</title>${head}
<script src="/sdks.js"></script>
<script>
${segmentLoadSnippet(collectorUrl)}
${rudderLoadSnippet(collectorUrl)}
</script>
</head><body>
<script>
${body}
</script>
</body></html>`;
}
