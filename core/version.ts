/** Kept equal to package.json's version by a unit test. */
export const VERSION = '0.1.0';

/** Sent as `context.integration` so a warehouse can tell which events this package produced. */
export const INTEGRATION = { name: 'kustomer-chat-analytics', version: VERSION } as const;
