/**
 * The one chat-event schema every destination translates from.
 * It holds only identifiers, timestamps, counts and the numeric rating: never message text,
 * names, emails, phone numbers, JWTs, custom attributes or CSAT free text.
 */

export type ChatAction =
  | 'chat_opened'
  | 'chat_closed'
  | 'conversation_started'
  | 'message_sent'
  | 'message_received'
  | 'satisfaction_requested'
  | 'satisfaction_submitted'
  | 'assistant_ended'
  | 'conversation_ended'
  | 'conversation_reopened'
  | 'proactive_trigger';

/** Human labels: the `chat_Action` values of the copy-paste GTM listener, and the same style for the rest. */
export const ACTION_LABELS: Readonly<Record<ChatAction, string>> = {
  chat_opened: 'chat opened',
  chat_closed: 'chat closed',
  conversation_started: 'conversation started',
  message_sent: 'message sent',
  message_received: 'message received',
  satisfaction_requested: 'satisfaction requested',
  satisfaction_submitted: 'satisfaction submitted',
  assistant_ended: 'assistant ended',
  conversation_ended: 'conversation ended',
  conversation_reopened: 'conversation reopened',
  proactive_trigger: 'proactive trigger',
};

/** Every action of the schema, in the order of `ACTION_LABELS`. */
export const CHAT_ACTIONS = Object.keys(ACTION_LABELS) as readonly ChatAction[];

/**
 * Where an event came from: the chat widget, the headless core, the site through `emit()`, or Kustomer's outbound
 * webhooks (`kustomer-chat-analytics/server`).
 */
export type ChatEventOrigin = 'widget' | 'core' | 'site' | 'webhook';

/** What `Kustomer.isChatAvailable()` answers (https://developer.kustomer.com/chat-sdk/docs/kustomer-is-chat-available). */
export type ChatAvailability = 'online' | 'offline' | 'hidden' | 'disabled' | 'none';

/** A value forwarded only when its field is listed in `allowFields`. */
export type AllowedValue = string | number | boolean;

/** One chat event, as every destination receives it before translating it. */
export interface ChatEvent {
  /** Deterministic id: the same Kustomer event gives the same id on every page and destination. */
  id: string;
  action: ChatAction;
  platform: 'kustomer';
  /** ISO 8601. */
  timestamp: string;
  origin: ChatEventOrigin;
  conversationId?: string;
  messageId?: string;
  satisfactionId?: string;
  rating?: number;
  ratingScale?: number;
  unreadTotal?: number;
  isInAssistantMode?: boolean;
  /** The chat's availability when it was opened, from `Kustomer.isChatAvailable()`: `online`, `offline`, ... */
  availability?: ChatAvailability;
  /** Payload fields the site opted in to with `allowFields`, keyed by their path. */
  extra?: Record<string, AllowedValue>;
}

/** What a site may pass to `emit()`; everything else is derived. */
export type ChatEventFields = Partial<
  Pick<ChatEvent, 'id' | 'timestamp' | 'conversationId' | 'messageId' | 'satisfactionId' | 'rating' | 'ratingScale' | 'unreadTotal' | 'isInAssistantMode' | 'availability'>
>;

/** Whether `value` is one of the schema's actions. */
export function isChatAction(value: unknown): value is ChatAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_LABELS, value);
}
