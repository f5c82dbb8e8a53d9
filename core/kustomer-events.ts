import type { ChatMemory } from './memory';
import { attempt, read, readPath, toCount, toId, toNumber } from './safe';
import type { ChatAction, ChatEventOrigin } from './schema';

/** What one Kustomer callback means for the schema: an action, its fields, and the seed of its id. */
export interface MappedEvent {
  action: ChatAction;
  fields: Record<string, unknown>;
  /** Makes the id deterministic (see buildEvent); absent: an id unique to this event. */
  idSeed?: string;
  /** Report at most once per id and browser session (the widget replays state on every page). */
  once?: boolean;
}

/** What a mapper may use besides the payload. */
export interface MapperContext {
  memory: ChatMemory;
  /** The Kustomer object that called back, for documented read-only methods (`isChatAvailable`). */
  sdk: unknown;
}

/** A mapper returns events, nothing (the callback means no chat action), or why it dropped the payload. */
export type Mapper = (payload: unknown, context: MapperContext) => MappedEvent | MappedEvent[] | string | undefined;

const conversationStarted: Mapper = (payload) => ({
  action: 'conversation_started',
  fields: { conversationId: read(payload, 'conversationId'), timestamp: read(payload, 'createdAt'), isInAssistantMode: read(payload, 'isInAssistantMode') },
  idSeed: '',
  once: true,
});

const message = (action: ChatAction): Mapper => (payload) => {
  const messageId = toId(read(payload, 'messageId'));
  return {
    action,
    fields: { conversationId: read(payload, 'conversationId'), messageId, timestamp: read(payload, 'createdAt') },
    idSeed: messageId,
  };
};

/**
 * The widget reports agent messages only through its unread count: a rise of `total` by N is N messages
 * received. The last total and a running count of rises are remembered (across pages when memory persists), so
 * a count restored on the next page is not counted again; without persistent memory the rises restart on every
 * page, so those messages get unique ids rather than ids another message may already have had.
 */
const MAX_MESSAGES_PER_RISE = 20;

const unreadChanged: Mapper = (payload, { memory }) => {
  const total = toCount(read(payload, 'total'));
  if (total === undefined) return 'no valid total';
  const previous = memory.get('unread') ?? 0;
  memory.set('unread', total);
  if (total <= previous) return undefined;
  const conversationId = toId(readPath(payload, 'change.conversationId'));
  const risesKey = `rises:${conversationId ?? ''}`;
  const rises = memory.get(risesKey) ?? 0;
  // A jump beyond what a chat can deliver at once is a bad payload, not thousands of messages.
  const count = Math.min(total - previous, MAX_MESSAGES_PER_RISE);
  memory.set(risesKey, rises + count);
  const events: MappedEvent[] = [];
  for (let rise = rises + 1; rise <= rises + count; rise++) {
    events.push({
      action: 'message_received',
      fields: { conversationId, unreadTotal: total },
      idSeed: memory.persistent ? `unread:${rise}` : undefined,
    });
  }
  return events;
};

/**
 * `form.scale` is an object `{ options, labelLow, labelHigh, type }`; the rating scale is a number only where it
 * says one: a numeric `scale` (older payloads) or a numeric `scale.options` ("5"). Anything else: no scale.
 */
function ratingScaleOf(payload: unknown): number | undefined {
  const scale = readPath(payload, 'form.scale');
  return toCount(scale) ?? toCount(read(scale, 'options'));
}

/** The rating of a submitted satisfaction form, however it reached us. Free text never leaves this function. */
export function satisfactionSubmitted(payload: unknown, givenRating?: unknown): MappedEvent | string | undefined {
  const rating = toNumber(readPath(payload, 'response.rating')) ?? toNumber(givenRating);
  if (rating === undefined) return 'no valid rating';
  return {
    action: 'satisfaction_submitted',
    fields: { conversationId: read(payload, 'conversationId'), satisfactionId: read(payload, 'satisfactionId'), rating, ratingScale: ratingScaleOf(payload) },
    idSeed: toId(read(payload, 'satisfactionId')) ?? '',
    once: true,
  };
}

/** A satisfaction form reaching the conversation is a request; one that carries a numeric rating, a submission. */
const satisfactionReceived: Mapper = (payload) => {
  if (readPath(payload, 'response.rating') !== undefined) return satisfactionSubmitted(payload);
  return {
    action: 'satisfaction_requested',
    fields: { conversationId: read(payload, 'conversationId'), satisfactionId: read(payload, 'satisfactionId'), ratingScale: ratingScaleOf(payload) },
    idSeed: toId(read(payload, 'satisfactionId')) ?? '',
    once: true,
  };
};

/**
 * Ends and reopens alternate: each conversation has a round (how often it was reopened) and the round in which
 * its end was last reported. An end already reported in this round, or a reopen of a conversation not ended,
 * is a replay and reports nothing.
 */
const conversationEnded: Mapper = (payload, { memory }) => {
  const conversationId = toId(read(payload, 'conversationId'));
  if (!conversationId) return { action: 'conversation_ended', fields: {}, idSeed: '' };
  const round = memory.get(`round:${conversationId}`) ?? 0;
  if (memory.get(`ended:${conversationId}`) === round + 1) return 'already reported in this session';
  memory.set(`ended:${conversationId}`, round + 1);
  return { action: 'conversation_ended', fields: { conversationId }, idSeed: round ? `end:${round}` : '' };
};

const conversationReopened: Mapper = (payload, { memory }) => {
  const conversationId = toId(read(payload, 'conversationId'));
  if (!conversationId) return 'no valid conversationId';
  const round = memory.get(`round:${conversationId}`) ?? 0;
  if (memory.get(`ended:${conversationId}`) !== round + 1) return undefined;
  memory.set(`round:${conversationId}`, round + 1);
  return { action: 'conversation_reopened', fields: { conversationId }, idSeed: `reopen:${round + 1}` };
};

const assistantEnded: Mapper = (payload) => ({
  action: 'assistant_ended',
  fields: { conversationId: read(payload, 'conversationId'), isInAssistantMode: read(payload, 'isInAssistantMode') },
  idSeed: '',
  once: true,
});

/** `chat opened` with the chat's availability: `{ availability }` from the widget, a string from the core. */
const chatOpened: Mapper = (_payload, { sdk }) => {
  // A throwing or missing method costs the field, never the event.
  const answer = attempt(() => (sdk as { isChatAvailable?: () => unknown }).isChatAvailable?.());
  return { action: 'chat_opened', fields: { availability: typeof answer === 'string' ? answer : read(answer, 'availability') } };
};

/** A new login or logout is a new chat identity: its unread count starts afresh. */
const identityChanged: Mapper = (_payload, { memory }) => {
  memory.set('unread', 0);
  return undefined;
};

/** Chat widget (`window.Kustomer`, widget.js) events and what they mean. */
export const WIDGET_EVENTS: Readonly<Record<string, Mapper>> = {
  onOpen: chatOpened,
  onClose: () => ({ action: 'chat_closed', fields: {} }),
  onConversationCreate: conversationStarted,
  onUnread: unreadChanged,
  onLogin: identityChanged,
  onLogout: identityChanged,
};

/** Headless core (`window.KustomerCore`, core.js) events and what they mean. */
export const CORE_EVENTS: Readonly<Record<string, Mapper>> = {
  onConversationCreate: conversationStarted,
  onMessageSent: message('message_sent'),
  onMessageReceived: message('message_received'),
  onSatisfactionReceived: satisfactionReceived,
  onAssistantEnded: assistantEnded,
  onConversationEnded: conversationEnded,
  onConversationUnended: conversationReopened,
};

export const EVENTS_BY_ORIGIN: Readonly<Record<Exclude<ChatEventOrigin, 'site' | 'webhook'>, Readonly<Record<string, Mapper>>>> = {
  widget: WIDGET_EVENTS,
  core: CORE_EVENTS,
};
