import type { ChatMemory } from './memory';
import { read, readPath, toCount, toId, toNumber } from './safe';
import type { ChatAction, ChatEventOrigin } from './schema';

/** What one Kustomer callback means for the schema: an action, its fields, and the key of its id. */
export interface MappedEvent {
  action: ChatAction;
  fields: Record<string, unknown>;
  key?: string;
  /** Report at most once per conversation and browser session (the widget replays state on every page). */
  once?: boolean;
}

/** A mapper returns the event, nothing (the callback means no chat action), or why it dropped the payload. */
type Mapper = (payload: unknown, memory: ChatMemory) => MappedEvent | string | undefined;

const conversationStarted: Mapper = (payload) => {
  const conversationId = read(payload, 'conversationId');
  return {
    action: 'conversation_started',
    fields: { conversationId, timestamp: read(payload, 'createdAt'), isInAssistantMode: read(payload, 'isInAssistantMode') },
    key: '',
    once: true,
  };
};

const message = (action: ChatAction): Mapper => (payload) => {
  const messageId = toId(read(payload, 'messageId'));
  return {
    action,
    fields: { conversationId: read(payload, 'conversationId'), messageId, timestamp: read(payload, 'createdAt') },
    key: messageId,
  };
};

/**
 * The widget reports agent messages only through its unread count: a rise of `total` is a message received.
 * The last total and a running count of rises are remembered (across pages, when memory is in sessionStorage),
 * so a restored count on the next page is not counted again.
 */
const unreadChanged: Mapper = (payload, memory) => {
  const total = toCount(read(payload, 'total'));
  if (total === undefined) return 'no valid total';
  const previous = memory.get('unread') ?? 0;
  memory.set('unread', total);
  if (total <= previous) return undefined;
  const conversationId = toId(readPath(payload, 'change.conversationId'));
  const risesKey = `rises:${conversationId ?? ''}`;
  const rises = (memory.get(risesKey) ?? 0) + 1;
  memory.set(risesKey, rises);
  return { action: 'message_received', fields: { conversationId, unreadTotal: total }, key: `unread:${rises}` };
};

/** A satisfaction callback with a numeric rating is a submitted rating; anything else is a form being shown. */
const satisfaction: Mapper = (payload) => {
  const given = readPath(payload, 'response.rating');
  const rating = toNumber(given);
  if (rating === undefined) return given === undefined ? undefined : 'no valid rating';
  return {
    action: 'satisfaction_submitted',
    fields: {
      conversationId: read(payload, 'conversationId'),
      satisfactionId: read(payload, 'satisfactionId'),
      rating,
      ratingScale: readPath(payload, 'form.scale'),
    },
    key: toId(read(payload, 'satisfactionId')) ?? '',
    once: true,
  };
};

const conversationEnded: Mapper = (payload) => ({
  action: 'conversation_ended',
  fields: { conversationId: read(payload, 'conversationId') },
  key: '',
  once: true,
});

/** A new login or logout is a new chat identity: its unread count starts afresh. */
const identityChanged: Mapper = (_payload, memory) => {
  memory.set('unread', 0);
  return undefined;
};

/** Chat widget (`window.Kustomer`, widget.js) events and what they mean. */
export const WIDGET_EVENTS: Readonly<Record<string, Mapper>> = {
  onOpen: () => ({ action: 'chat_opened', fields: {} }),
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
  onSatisfactionReceived: satisfaction,
  onConversationEnded: conversationEnded,
};

export const EVENTS_BY_ORIGIN: Readonly<Record<Exclude<ChatEventOrigin, 'site'>, Readonly<Record<string, Mapper>>>> = {
  widget: WIDGET_EVENTS,
  core: CORE_EVENTS,
};
