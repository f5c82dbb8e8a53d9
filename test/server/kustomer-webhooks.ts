/**
 * A stand-in for Kustomer's outbound webhooks, written from its docs:
 *
 * - https://developer.kustomer.com/docs/events/delivery-and-retries: a `POST` with `Content-Type: application/json`,
 *   `X-Kustomer-Webhook-Event` (the event name) and `X-Kustomer-Webhook-Signature`, the lowercase hex
 *   HMAC-SHA256 of the raw body keyed with the webhook's token; at least once, possibly out of order, retried for
 *   about an hour (1, 1, 2, 5, 10, 15, 30 minutes) until a 2xx.
 * - https://developer.kustomer.com/docs/events/event-catalog: the envelope `{ id, name, org, partition, data,
 *   changes }`; `data` is the JSON:API resource as `GET /v1/<resource>/{id}` returns it; `changes` is null on
 *   create and `{ attributes: { <name>: { before, after } } }` on update. The docs' examples are pretty-printed.
 * - https://developer.kustomer.com/docs/concepts/conversations-and-messages: conversation `status` open / snoozed /
 *   done, `channels`, `custom`; message `channel`, `direction` in / out, `auto`, `source`, `body`, `preview`,
 *   the conversation and customer in `relationships`.
 * - The conversation's `satisfactionLevel` object (`rating`, `score`, `status`, `form`, `formResponse`, `sentAt`,
 *   ...), as Kustomer's API reference lists it for `PUT /v1/conversations/{id}`
 *   (https://developer.kustomer.com/kustomer-api-docs/reference/updateconversation).
 */
import { createHmac } from 'node:crypto';

export const ORG = '5f8481c6a22ab5b9d5f2dd8a';
let counter = 0x100000;

/** A fresh 24-hex id, like Kustomer's (Mongo ObjectIds). */
export function objectId(): string {
  counter++;
  return `6717c2${counter.toString(16).padStart(18, '0')}`;
}

export interface ConversationState {
  id: string;
  customerId: string;
  createdAt: string;
  status?: 'open' | 'snoozed' | 'done';
  channels?: string[];
  custom?: Record<string, unknown>;
  reopenCount?: number;
  satisfactionLevel?: Record<string, unknown> | null;
  firstResponse?: Record<string, unknown>;
  lastDone?: Record<string, unknown>;
  updatedAt?: string;
}

/** A conversation resource, with the personal fields a real one carries (the handler must drop them). */
export function conversationResource(c: ConversationState) {
  return {
    type: 'conversation',
    id: c.id,
    attributes: {
      name: 'Where is my order #4417? – Jane Doe jane@example.com',
      channels: c.channels ?? ['chat'],
      status: c.status ?? 'open',
      direction: 'in',
      messageCount: 2,
      preview: 'Hi, my phone is +1 555 010 9999',
      createdAt: c.createdAt,
      updatedAt: c.updatedAt ?? c.createdAt,
      reopenCount: c.reopenCount ?? 0,
      satisfactionLevel: c.satisfactionLevel ?? null,
      firstResponse: c.firstResponse,
      lastDone: c.lastDone,
      custom: { orderNumberStr: '4417', customerEmailStr: 'jane@example.com', ...c.custom },
      tags: [],
    },
    relationships: {
      customer: { data: { type: 'customer', id: c.customerId }, links: { self: `/v1/customers/${c.customerId}` } },
    },
    links: { self: `/v1/conversations/${c.id}` },
  };
}

export interface MessageState {
  id?: string;
  conversationId: string;
  customerId: string;
  direction: 'in' | 'out';
  channel?: string;
  auto?: boolean;
  source?: string;
  createdAt: string;
}

export function messageResource(m: MessageState) {
  const id = m.id ?? objectId();
  return {
    type: 'message',
    id,
    attributes: {
      channel: m.channel ?? 'chat',
      app: 'chat',
      direction: m.direction,
      auto: m.auto ?? false,
      source: m.source,
      preview: 'My card is 4111 1111 1111 1111',
      body: 'My card is 4111 1111 1111 1111, call me at +1 555 010 9999',
      status: m.direction === 'in' ? 'received' : 'sent',
      createdAt: m.createdAt,
      sentAt: m.createdAt,
    },
    relationships: {
      conversation: { data: { type: 'conversation', id: m.conversationId } },
      customer: { data: { type: 'customer', id: m.customerId } },
    },
    links: { self: `/v1/messages/${id}` },
  };
}

export interface Envelope {
  id: string;
  name: string;
  org: string;
  partition: string;
  data: { type: string; id: string; [key: string]: unknown };
  changes: { attributes: Record<string, { before: unknown; after: unknown }> } | null;
}

export function envelope(name: string, data: Envelope['data'], changes: Envelope['changes'] = null): Envelope {
  return { id: objectId(), name, org: ORG, partition: ORG, data, changes };
}

export const conversationCreate = (c: ConversationState) => envelope('kustomer.conversation.create', conversationResource(c));
export const messageCreate = (m: MessageState) => envelope('kustomer.message.create', messageResource(m));
export const conversationUpdate = (c: ConversationState, changes: Record<string, { before: unknown; after: unknown }>) =>
  envelope('kustomer.conversation.update', conversationResource(c), { attributes: changes });

export function sign(body: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The request Kustomer sends: the pretty-printed body, signed over its exact bytes. */
export function signedRequest(url: string, webhook: unknown, secret: string, extraHeaders: Record<string, string> = {}): Request {
  const body = JSON.stringify(webhook, null, 2);
  const name = (webhook as { name?: unknown })?.name;
  return new Request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kustomer-webhook-event': typeof name === 'string' ? name : 'unknown',
      'x-kustomer-webhook-signature': sign(body, secret),
      'x-source': 'kustomer',
      ...extraHeaders,
    },
    body,
  });
}

/** Delivers like Kustomer: the same webhook (same id, same bytes) again until a 2xx, at most `attempts` times. */
export async function deliver(send: (request: Request) => Promise<Response>, url: string, webhook: unknown, secret: string, attempts = 7): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const response = await send(signedRequest(url, webhook, secret));
    statuses.push(response.status);
    if (response.ok) break;
  }
  return statuses;
}
