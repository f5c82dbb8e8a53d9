import { DEBUG_BUILD } from './debug-build';
import { buildEvent } from './event';
import { EVENTS_BY_ORIGIN, satisfactionSubmitted, type MappedEvent } from './kustomer-events';
import { createMemory, type ChatMemory, type MemoryOptions } from './memory';
import { attempt, read, readPath } from './safe';
import type { AllowedValue, ChatEvent } from './schema';
import type { SdkStatus } from './types';
import { undoList } from './undo';
import { wrapMethod } from './wrap';
import { REMEMBERED_IDS, idSet } from './dedupe';
import { ABSENT, CORE_GLOBAL, WIDGET_GLOBAL, watchSdk, type KustomerLike, type KustomerListener, type SdkWatch } from './watch-sdk';

/** A tracker listening to the source: it gets every Kustomer event once, with the payload fields it opted in to. */
export interface SourceSubscriber {
  event(event: ChatEvent): void;
  debug(message: string, detail?: unknown): void;
  /** Payload paths to copy into `event.extra` (`allowFields`): the raw payload itself never leaves the source. */
  allowFields?: string[];
}

/**
 * The page-wide source of chat events: it attaches to Kustomer, maps each callback to the schema, remembers what
 * is reported once per session and picks the `allowFields`; the raw payload never leaves it. One per page, shared
 * by every copy of this library (page.ts): one set of Kustomer listeners, one session memory.
 */
export interface Source {
  /** Starts listening with the first subscriber; the returned undo stops it with the last. */
  subscribe(subscriber: SourceSubscriber, memory?: MemoryOptions): () => void;
  /** Where listening to each Kustomer global stands (optional: older copies of the library lack it). */
  status?(): KustomerStatus;
}

export type KustomerStatus = Record<Origin, SdkStatus>;

type Origin = 'widget' | 'core';

/**
 * Kustomer passes `undefined` or an Error (possibly from the core's iframe, so not `instanceof` ours); any other
 * value is not an error. A value that throws when looked at (a revoked proxy) counts as one.
 */
function isError(error: unknown): boolean {
  if (error === undefined || error === null) return false; // the per-event path: no closure
  return attempt(() => error instanceof Error || Object.prototype.toString.call(error) === '[object Error]') ?? true;
}

function pickAllowed(payload: unknown, paths: string[]): Record<string, AllowedValue> | undefined {
  let extra: Record<string, AllowedValue> | undefined;
  for (const path of paths) {
    const value = readPath(payload, path);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') (extra ??= {})[path] = value;
  }
  return extra;
}

export function createSource(win: Window): Source {
  const subscribers = new Set<SourceSubscriber>();
  const recentIds = idSet(REMEMBERED_IDS);
  let memory: ChatMemory | undefined;
  const undos = undoList();
  // The Kustomer object each origin listens to. Listeners of a replaced or stopped one fall silent by themselves:
  // a `removeListener` that does nothing must not leave a second live listener.
  const listening: Partial<Record<Origin, { active: boolean; sdk: unknown; undo: () => void }>> = {};
  const watches: Partial<Record<Origin, SdkWatch>> = {};
  const watch = (origin: Origin, spec: typeof WIDGET_GLOBAL) => {
    const watching = watchSdk(win, spec, attach(origin), DEBUG_BUILD && ((e) => debug(`Kustomer ${origin} watch failed`, e)));
    watches[origin] = watching;
    return () => {
      watching.undo();
      delete watches[origin];
    };
  };
  // The core's listeners are live: proven (init's callback, a core event), or the core answers isChatAvailable(),
  // which it does only once initialised (a hint only: it decides who reports agent messages, not when to attach).
  const coreHeard = () => {
    const core = listening.core;
    if (!core?.active) return false;
    if (watches.core?.status().state === 'listening') return true;
    const answer = attempt(() => (core.sdk as { isChatAvailable?: () => unknown }).isChatAvailable?.());
    return typeof answer === 'string' && answer !== 'none';
  };

  const debug = (message: string, detail?: unknown) => subscribers.forEach((s) => attempt(() => s.debug(message, detail)));

  const publishOne = (origin: Origin, name: string, one: MappedEvent, payload: unknown) => {
    // Agent messages come from the core's onMessageReceived, with their ids, once the core listens and speaks;
    // until then the widget's unread count is the only report of them.
    if (origin === 'widget' && one.action === 'message_received' && coreHeard()) {
      if (DEBUG_BUILD) debug(`${name}: left to KustomerCore's onMessageReceived`);
      return;
    }
    const event = buildEvent(one.action, one.fields, origin, one.idSeed);
    if (DEBUG_BUILD) {
      for (const field in one.fields) {
        if (one.fields[field] != null && event[field as keyof ChatEvent] === undefined) debug(`${name}: dropped invalid ${field}`);
      }
    }
    if (one.once && event.conversationId) {
      if (memory!.get(`once:${event.id}`)) {
        if (DEBUG_BUILD) debug(`${name}: already reported in this session`, event.id);
        return;
      }
      memory!.set(`once:${event.id}`, 1);
    }
    if (!recentIds.add(event.id)) {
      if (DEBUG_BUILD) debug(`${name}: duplicate`, event.id);
      return;
    }
    Object.freeze(event);
    subscribers.forEach((s) => {
      try {
        const extra = s.allowFields?.length ? pickAllowed(payload, s.allowFields) : undefined;
        // The library's own fields come last: `extra` can never overwrite them.
        s.event(extra ? Object.freeze({ ...event, extra }) : event);
      } catch (e) {
        if (DEBUG_BUILD) debug('subscriber failed', e);
      }
    });
  };

  const publish = (origin: Origin, name: string, mapped: MappedEvent | MappedEvent[] | string | undefined, payload: unknown) => {
    if (typeof mapped === 'string') {
      if (DEBUG_BUILD) debug(`${name}: dropped, ${mapped}`);
    } else if (Array.isArray(mapped)) mapped.forEach((one) => publishOne(origin, name, one, payload));
    else if (mapped) publishOne(origin, name, mapped, payload);
  };

  const attach = (origin: Origin) => (sdk: KustomerLike, heard: () => void) => {
    const previous = listening[origin];
    previous?.undo();
    const entry = { active: true, sdk: sdk as unknown, undo: () => {} };
    const added: Array<[string, KustomerListener]> = [];
    if (DEBUG_BUILD && previous?.sdk !== sdk) debug(`listening to the Kustomer ${origin}`);
    // The memory exists by now: subscribe creates it before it watches for Kustomer.
    const context = { memory: memory!, sdk };
    for (const name of Object.keys(EVENTS_BY_ORIGIN[origin])) {
      const map = EVENTS_BY_ORIGIN[origin][name];
      const fn: KustomerListener = (payload, error) => {
        if (!entry.active) return;
        heard();
        // try/catch here rather than attempt(): no closure per event.
        try {
          if (!isError(error)) publish(origin, name, map(payload, context), payload);
          else if (DEBUG_BUILD) debug(`${name}: Kustomer reported an error`, error);
        } catch (e) {
          if (DEBUG_BUILD) debug(`${name}: payload dropped`, e);
        }
      };
      attempt(
        () => {
          sdk.addListener(name, fn);
          added.push([name, fn]);
        },
        DEBUG_BUILD && ((e) => debug(`addListener(${name}) failed`, e)),
      );
    }
    // The rating comes back in the callback of the site's own submitSatisfactionForm call.
    const unwrap =
      origin === 'core'
        ? wrapMethod(sdk as unknown as Record<string, unknown>, 'submitSatisfactionForm', (response, error, args) => {
            if (!entry.active) return;
            if (isError(error)) return DEBUG_BUILD && debug('submitSatisfactionForm: Kustomer reported an error', error);
            publish('core', 'submitSatisfactionForm', satisfactionSubmitted(response, read(args[0], 'rating')), response);
          })
        : () => {};
    entry.undo = () => {
      entry.active = false;
      unwrap();
      for (const [name, fn] of added) attempt(() => sdk.removeListener?.(name, fn));
    };
    listening[origin] = entry;
  };

  return {
    subscribe(subscriber, memoryOptions) {
      subscribers.add(subscriber);
      if (subscribers.size === 1) {
        memory = memory ?? createMemory({ ...memoryOptions, window: win, onError: debug });
        undos.add(memory.watch());
        undos.add(watch('widget', WIDGET_GLOBAL));
        undos.add(watch('core', CORE_GLOBAL));
        undos.add(() => {
          listening.widget?.undo();
          listening.core?.undo();
        });
      }
      return () => {
        if (!subscribers.delete(subscriber) || subscribers.size) return;
        undos.undoAll();
      };
    },
    status() {
      return { widget: watches.widget?.status() ?? ABSENT, core: watches.core?.status() ?? ABSENT };
    },
  };
}
