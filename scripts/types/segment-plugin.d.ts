/**
 * Segment's `Plugin` type, copied structurally so the published declarations of `kustomer-chat-analytics/segment`
 * compile without `@segment/analytics-next` installed (it is an optional peer: the snippet's `window.analytics`
 * needs no npm package). rollup.dts.config.js puts this in place of the SDK's type when it bundles declarations.
 * A value of this type is assignable to Segment's own `Plugin` (`plugins: [kustomerChatPlugin()]` type-checks,
 * see docs/segment.md, compiled by test/build/docs-code.test.js).
 *
 * Source: `CorePlugin` in @segment/analytics-core (dist/types/plugins/index.d.ts), which Segment's `Plugin`
 * extends with its `Context` and `Analytics`; https://segment.com/docs/connections/sources/catalog/libraries/website/javascript/#plugins-and-source-middleware
 */
export interface Plugin {
  name: string;
  alternativeNames?: string[];
  version?: string;
  type: 'before' | 'after' | 'destination' | 'enrichment' | 'utility';
  isLoaded: () => boolean;
  /** Called by Segment with its `Context` and the `Analytics` instance. */
  load: (ctx: unknown, instance: unknown) => Promise<unknown>;
  unload?: (ctx: unknown, instance: unknown) => Promise<unknown> | unknown;
  ready?: () => Promise<unknown>;
}
