import { read } from '../core/safe';
import { conversationIdentity, type MapOptions, type WebhookIdentity } from './map';

/** Options of the handler's `kustomerApi`: read a conversation's ids from Kustomer when a message comes first. */
export interface KustomerApiOptions {
  /** A Kustomer API key with `org.permission.conversation.read` (read only). */
  apiKey: string;
  /** Your org's API host: `https://<org>.api.kustomerapp.com`. */
  baseUrl: string;
  /** Default the global `fetch`. */
  fetch?: (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<KustomerApiResponse>;
}

/** What is read of the API's answer. */
export interface KustomerApiResponse {
  ok: boolean;
  /** The body, parsed. */
  json(): Promise<unknown>;
}

/**
 * The visitor ids of a conversation, from `GET /v1/conversations/{id}` (the same resource a webhook carries:
 * https://developer.kustomer.com/docs/events/event-catalog). Nothing else of the answer is kept. Never throws.
 */
export function conversationIds(api: KustomerApiOptions, options: MapOptions) {
  const base = api.baseUrl.replace(/\/+$/, '');
  return async (conversationId: string, signal: AbortSignal): Promise<WebhookIdentity> => {
    try {
      const get = api.fetch ?? (globalThis.fetch as unknown as NonNullable<KustomerApiOptions['fetch']>);
      const response = await get(`${base}/v1/conversations/${encodeURIComponent(conversationId)}`, {
        headers: { authorization: `Bearer ${api.apiKey}`, accept: 'application/json' },
        signal,
      });
      if (!response.ok) return {};
      const data = read(await response.json(), 'data');
      if (read(data, 'id') !== conversationId) return {};
      return conversationIdentity(read(data, 'attributes'), options);
    } catch {
      return {};
    }
  };
}
