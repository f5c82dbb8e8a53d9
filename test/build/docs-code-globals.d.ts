// What the docs' code blocks may assume the page already has (test/build/docs-code.test.js): the site's consent
// manager and the drop-in's tracker. Nothing of this library's API or of the SDKs belongs here: a block imports
// or creates those itself.
import type { ChatTracker } from 'kustomer-chat-analytics';

declare global {
  interface Window {
    /** The drop-in's tracker (docs/getting-started.md). */
    KustomerChatAnalytics?: ChatTracker;
    /** A placeholder for the site's own consent state (docs/privacy.md). */
    myConsent?: { analytics?: boolean };
    /** A placeholder for the site's consent manager (docs/segment.md, docs/rudderstack.md). */
    myCmp: { analyticsAllowed(): boolean; onChange(callback: () => void): void };
    /**
     * OneTrust's globals, absent until OneTrust has loaded: the active consent groups as a comma-separated string,
     * and the function OneTrust calls once loaded and at every consent change.
     * https://my.onetrust.com/s/article/UUID-d81787f6-685c-2262-36c3-5f1f3369e2a7 (OnetrustActiveGroups, OptanonWrapper, OneTrust.OnConsentChanged)
     */
    OnetrustActiveGroups?: string;
    OptanonWrapper?: () => void;
    OneTrust: { OnConsentChanged(callback: () => void): void };
  }
}
