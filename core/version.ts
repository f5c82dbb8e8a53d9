/**
 * The package's version lives in package.json only. The build (rollup.config.js) and the unit tests
 * (vitest.config.js) replace `__PACKAGE_VERSION__` with it; test/build/package.test.js checks that what the built
 * code reports equals package.json's version.
 */
declare const __PACKAGE_VERSION__: string;

/** This package's version, from package.json at build time. */
export const VERSION: string = __PACKAGE_VERSION__;

/** Sent as `context.integration` so a warehouse can tell which events this package produced. */
export const INTEGRATION = { name: 'kustomer-chat-analytics', version: VERSION } as const;
