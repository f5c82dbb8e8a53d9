declare const __DEBUG_BUILD__: boolean | undefined;

/**
 * False only in the lean drop-in (rollup.config.js defines `__DEBUG_BUILD__`): there every `DEBUG_BUILD && debug(...)`
 * is left out with its message, as Sentry does. True everywhere else: the npm builds, the full drop-in, the tests.
 */
export const DEBUG_BUILD: boolean = typeof __DEBUG_BUILD__ === 'undefined' || __DEBUG_BUILD__;
