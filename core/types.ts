/**
 * The shared types of the pipeline, in one place: Kustomer callback → source → tracker → consent gate → outlet →
 * destination. The event itself is in schema.ts.
 */
import type { ChatAction, ChatEvent, ChatEventFields } from './schema';
import type { IdentityStitcher } from './stitch';

/**
 * What a hook that subscribes or wraps gives back: calling it removes what the hook added. A hook written before
 * hooks returned their undo returns nothing; that counts as nothing to undo.
 */
export type Undo = () => void;

/** A place chat events go: `send` translates one event to its tool's conventions. */
export interface Destination {
  name: string;
  /**
   * The key this destination's deliveries are recorded under in the page-wide de-duplication: two destinations
   * with one key (two trackers feeding one SDK instance) deliver an event once. Default: `name`.
   */
  key?: string;
  /** Delivers one event to the tool; a throw counts as `failed` and does not reach the page. */
  send(event: ChatEvent): void;
  /** `false` while the tool has not loaded: events wait in a bounded buffer. Absent means always ready. */
  isReady?(): boolean;
  /**
   * Called at every `start()` with `flush`, to be called when the tool becomes ready. Returns its undo, which
   * `stop()` calls: after it, `flush` is never called again.
   */
  onReady?(flush: () => void): Undo | void;
  /** The visitor's ids in this tool, for `stitchIdentities`, named as the tool names them: `{ deviceId: '…' }`. */
  identity?(): Record<string, string | undefined>;
}

/** Ask a consent manager before each delivery: the tracker's `consent` option. */
export interface ConsentOptions {
  /** Whether analytics consent is granted now; asked before every delivery. */
  granted(): boolean;
  /**
   * Called at every `start()` with `update`, to be called whenever consent changes. Returns its undo (removing
   * what it added to listen), which `stop()` calls.
   */
  subscribe?(update: () => void): Undo | void;
  /** What to do with events while consent is not granted. Default `'hold'` (bounded by `bufferSize`). */
  whileDenied?: 'hold' | 'drop';
}

/** What `createChatTracker` takes: the destinations, and how to buffer, filter and consent. */
export interface TrackerOptions {
  destinations: Destination[];
  /** `true` logs to the console; a function receives every message. */
  debug?: boolean | ((message: string, detail?: unknown) => void);
  /** Events kept per destination while it is not ready, and while consent is held. Default 100. */
  bufferSize?: number;
  /** Kustomer payload fields to forward in `event.extra`, as paths (`'sentBy.type'`). Off by default: opt-in only. */
  allowFields?: string[];
  /** Remember reported conversations and unread counts in sessionStorage across page loads. Default true. */
  sessionMemory?: boolean;
  consent?: ConsentOptions;
  /**
   * Opt-in, with `identityStitching()`: when a conversation starts, write the visitor's analytics ids (from the
   * destinations) into it with `Kustomer.describeConversation`. Only ids go, and only to Kustomer.
   */
  stitchIdentities?: IdentityStitcher;
  /** The window to listen on. Default: the global window. */
  window?: Window;
}

/** Counts for one destination since the tracker was created. */
export interface DestinationStats {
  delivered: number;
  buffered: number;
  /** Events dropped because the buffer was full. */
  dropped: number;
  failed: number;
  duplicates: number;
}

/**
 * Where listening to one Kustomer global stands, for `stats()`: `absent` (no Kustomer object on the page),
 * `waiting` (Kustomer is there, no listener is proven live: re-attaching), `listening` (start's callback or a
 * Kustomer event proved the listeners live). `attachAttempts` counts every `addListener` round.
 */
export interface SdkStatus {
  state: 'absent' | 'waiting' | 'listening';
  attachAttempts: number;
}

/** What `tracker.stats()` returns: counts since the tracker was created, per destination. */
export interface TrackerStats {
  received: number;
  heldForConsent: number;
  droppedForConsent: number;
  /** Identity stitching that wrote nothing: a refused id or attribute name, or Kustomer's error. */
  stitchFailures: number;
  destinations: Record<string, DestinationStats>;
  /** Whether Kustomer's chat widget (`window.Kustomer`) and headless core (`window.KustomerCore`) are heard. */
  kustomer: { widget: SdkStatus; core: SdkStatus };
}

/** What `createChatTracker` returns. */
export interface ChatTracker {
  /** Starts listening to Kustomer. Calling it again does nothing. */
  start(): ChatTracker;
  /** Undoes everything `start()` added to the page; events buffered stay for a later start. */
  stop(): void;
  /** Reports an action Kustomer has no web event for (`proactive_trigger`), or any other. */
  emit(action: ChatAction, fields?: ChatEventFields): ChatEvent | undefined;
  /** Counts of what was received, delivered, held and dropped (see docs/troubleshooting.md). */
  stats(): TrackerStats;
}

/** Where debug messages go: `TrackerOptions.debug`, made safe to call. */
export type Debug = (message: string, detail?: unknown) => void;
