/**
 * The one stand-in for Kustomer's outbound webhooks (the server side of support/kustomer-stand-in.js), used by the
 * server tests, the bench and the demo, written from Kustomer's docs:
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
/** @returns {string} */
export function objectId() {
  counter++;
  return `6717c2${counter.toString(16).padStart(18, '0')}`;
}

/**
 * @typedef {object} ConversationState
 * @property {string} id
 * @property {string} customerId
 * @property {string} createdAt
 * @property {'open' | 'snoozed' | 'done'} [status]
 * @property {string[]} [channels]
 * @property {Record<string, unknown>} [custom]
 * @property {number} [reopenCount]
 * @property {Record<string, unknown> | null} [satisfactionLevel]
 * @property {Record<string, unknown>} [firstResponse]
 * @property {Record<string, unknown>} [lastDone]
 * @property {string} [updatedAt]
 */

/** A conversation resource, with the personal fields a real one carries (the handler must drop them). */
/** @param {ConversationState} c */
export function conversationResource(c) {
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

/**
 * @typedef {object} MessageState
 * @property {string} [id]
 * @property {string} conversationId
 * @property {string} customerId
 * @property {'in' | 'out'} direction
 * @property {string} [channel]
 * @property {boolean} [auto]
 * @property {string} [source]
 * @property {string} createdAt
 */

/** @param {MessageState} m */
export function messageResource(m) {
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

/** @typedef {Record<string, { before: unknown, after: unknown }>} Changes */

/**
 * @typedef {object} Envelope
 * @property {string} id
 * @property {string} name
 * @property {string} org
 * @property {string} partition
 * @property {{ type: string, id: string, [key: string]: unknown }} data
 * @property {{ attributes: Changes } | null} changes
 */

/**
 * @param {string} name
 * @param {Envelope['data']} data
 * @param {Envelope['changes']} [changes]
 * @returns {Envelope}
 */
export function envelope(name, data, changes = null) {
  return { id: objectId(), name, org: ORG, partition: ORG, data, changes };
}

/** @param {ConversationState} c */
export const conversationCreate = (c) => envelope('kustomer.conversation.create', conversationResource(c));
/** @param {MessageState} m */
export const messageCreate = (m) => envelope('kustomer.message.create', messageResource(m));
/**
 * @param {ConversationState} c
 * @param {Changes} changes
 */
export const conversationUpdate = (c, changes) => envelope('kustomer.conversation.update', conversationResource(c), { attributes: changes });

/**
 * @param {string | Uint8Array} body
 * @param {string} secret
 * @returns {string}
 */
export function sign(body, secret) {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The request Kustomer sends: the pretty-printed body, signed over its exact bytes. */
/**
 * @param {string} url
 * @param {unknown} webhook
 * @param {string} secret
 * @param {Record<string, string>} [extraHeaders]
 * @returns {Request}
 */
export function signedRequest(url, webhook, secret, extraHeaders = {}) {
  const body = JSON.stringify(webhook, null, 2);
  const name = /** @type {{ name?: unknown } | undefined} */ (webhook)?.name;
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
/**
 * @param {(request: Request) => Promise<Response>} send
 * @param {string} url
 * @param {unknown} webhook
 * @param {string} secret
 * @returns {Promise<number[]>}
 */
export async function deliver(send, url, webhook, secret, attempts = 7) {
  /** @type {number[]} */
  const statuses = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const response = await send(signedRequest(url, webhook, secret));
    statuses.push(response.status);
    if (response.ok) break;
  }
  return statuses;
}
