import type { ChatAction, ChatEvent } from '../../core/schema';

/**
 * Segment's Live Chat semantic spec names (RudderStack follows the same spec). The spec names four events;
 * the others follow its Object-Action style.
 */
export const LIVE_CHAT_EVENT_NAMES: Readonly<Record<ChatAction, string>> = {
  chat_opened: 'Live Chat Opened',
  chat_closed: 'Live Chat Closed',
  conversation_started: 'Live Chat Conversation Started',
  message_sent: 'Live Chat Message Sent',
  message_received: 'Live Chat Message Received',
  satisfaction_requested: 'Live Chat Satisfaction Requested',
  satisfaction_submitted: 'Live Chat Satisfaction Submitted',
  assistant_ended: 'Live Chat Assistant Ended',
  conversation_ended: 'Live Chat Conversation Ended',
  conversation_reopened: 'Live Chat Conversation Reopened',
  proactive_trigger: 'Live Chat Proactive Message Shown',
};

export interface LiveChatOptions {
  /** Replace some event names: `{ chat_opened: 'Chat Opened' }`. */
  eventNames?: Partial<Record<ChatAction, string>>;
  /** Rewrite the properties of each event (a fresh object: change it freely). */
  properties?: (properties: Record<string, unknown>, event: ChatEvent) => Record<string, unknown>;
}

/** The spec's snake_case properties; absent fields are left out. */
export function liveChatTrack(event: ChatEvent, options: LiveChatOptions): { name: string; properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = { platform: event.platform, event_id: event.id, ...event.extra };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) properties[key] = value;
  };
  set('conversation_id', event.conversationId);
  set('message_id', event.messageId);
  set('satisfaction_id', event.satisfactionId);
  set('rating', event.rating);
  set('rating_scale', event.ratingScale);
  set('unread_total', event.unreadTotal);
  set('availability', event.availability);
  return {
    name: options.eventNames?.[event.action] ?? LIVE_CHAT_EVENT_NAMES[event.action],
    properties: options.properties ? options.properties(properties, event) : properties,
  };
}
