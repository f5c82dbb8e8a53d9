import type { ChatAction, ChatEvent } from '../../core/schema';

/**
 * GA4 event names: the two from the GTM listener's own guide (`chat_widget_open`, `chat_rating`) and
 * snake_case names for the rest, all within GA4's rules (letters, digits, `_`, at most 40 characters).
 */
export const GA4_EVENT_NAMES: Readonly<Record<ChatAction, string>> = {
  chat_opened: 'chat_widget_open',
  chat_closed: 'chat_widget_close',
  conversation_started: 'chat_conversation_start',
  message_sent: 'chat_message_sent',
  message_received: 'chat_message_received',
  satisfaction_requested: 'chat_rating_request',
  satisfaction_submitted: 'chat_rating',
  assistant_ended: 'chat_assistant_end',
  conversation_ended: 'chat_conversation_end',
  conversation_reopened: 'chat_conversation_reopen',
  proactive_trigger: 'chat_proactive_trigger',
};

/** Every parameter a chat event can set: a dataLayer push sets all of them so none is left from an earlier event. */
export const GA4_PARAMETERS = ['chat_platform', 'event_id', 'conversation_id', 'message_id', 'rating_value', 'rating_scale', 'unread_total', 'chat_availability'] as const;

const MAX_VALUE_LENGTH = 100;

/** GA4 parameter name from an opted-in payload path: `sentBy.type` becomes `sentBy_type`. */
function ga4Name(path: string): string | undefined {
  const name = path.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return /^[A-Za-z]/.test(name) && !/^(firebase_|ga_|google_)/.test(name) ? name : undefined;
}

export function ga4Params(event: ChatEvent): Record<string, string | number | boolean | undefined> {
  const params: Record<string, string | number | boolean | undefined> = {
    chat_platform: event.platform,
    event_id: event.id,
    conversation_id: event.conversationId,
    message_id: event.messageId,
    rating_value: event.rating,
    rating_scale: event.ratingScale,
    unread_total: event.unreadTotal,
    chat_availability: event.availability,
  };
  for (const [path, value] of Object.entries(event.extra ?? {})) {
    const name = ga4Name(path);
    // GA4 takes 25 parameters per event at most; the library's own parameters are never overwritten.
    if (name && !(name in params) && Object.keys(params).length < 25) params[name] = typeof value === 'string' ? value.slice(0, MAX_VALUE_LENGTH) : value;
  }
  return params;
}

/** GA4's client id from its `_ga` cookie (`GA1.1.1234567890.1700000000` gives `1234567890.1700000000`). */
export function gaClientId(): { gaClientId?: string } {
  const cookie = typeof document !== 'undefined' ? document.cookie : '';
  const match = /(?:^|;\s*)_ga=GA\d+\.\d+\.(\d+\.\d+)/.exec(cookie);
  return match ? { gaClientId: match[1] } : {};
}
