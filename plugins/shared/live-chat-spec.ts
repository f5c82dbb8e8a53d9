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
  const own: Record<string, unknown> = {
    platform: event.platform,
    event_id: event.id,
    conversation_id: event.conversationId,
    message_id: event.messageId,
    satisfaction_id: event.satisfactionId,
    rating: event.rating,
    rating_scale: event.ratingScale,
    unread_total: event.unreadTotal,
    availability: event.availability,
  };
  const properties: Record<string, unknown> = {};
  // Opted-in fields never take a name the library sets, even one this event leaves out.
  for (const [path, value] of Object.entries(event.extra ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(own, path) && path !== '__proto__') properties[path] = value;
  }
  for (const [key, value] of Object.entries(own)) if (value !== undefined) properties[key] = value;
  return {
    name: options.eventNames?.[event.action] ?? LIVE_CHAT_EVENT_NAMES[event.action],
    properties: options.properties ? options.properties(properties, event) : properties,
  };
}
