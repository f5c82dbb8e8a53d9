/**
 * Kustomer webhook → chat events of the one schema (core/schema.ts), with the browser's id rules (core/event.ts):
 * the same conversation or message gives the same `event_id` whether the drop-in or this handler saw it.
 *
 * The webhook, as Kustomer's docs describe it (https://developer.kustomer.com/docs/events/event-catalog):
 * `{ id, name, org, partition, data: { type, id, attributes, relationships, links }, changes }`; `data` is the whole
 * resource as `GET /v1/<resource>/{id}` returns it, `changes` is null on create and
 * `{ attributes: { <name>: { before, after } } }` on update. Messages and conversations:
 * https://developer.kustomer.com/docs/concepts/conversations-and-messages.
 */
import { buildEvent } from '../core/event';
import { read, readPath, toCount, toId, toIsoTime, toNumber } from '../core/safe';
import type { AllowedValue, ChatAction, ChatEvent } from '../core/schema';
import { idProblem } from '../core/stitch';

/** The visitor's ids for one event, as the destinations need them. */
export interface WebhookIdentity {
  /** Kustomer's customer id: the fallback anonymous id is derived from it. */
  customerId?: string;
  segmentAnonymousId?: string;
  segmentUserId?: string;
  rudderstackAnonymousId?: string;
  rudderstackUserId?: string;
  gaClientId?: string;
}

/** One of the visitor ids a conversation may carry: those the browser's `identityStitching()` writes. */
export type IdentityName = 'segmentAnonymousId' | 'segmentUserId' | 'rudderstackAnonymousId' | 'rudderstackUserId' | 'gaClientId';

/** The identities the browser's `identityStitching()` writes, each into `<name>Str` by default. */
export const IDENTITY_NAMES: readonly IdentityName[] = ['segmentAnonymousId', 'segmentUserId', 'rudderstackAnonymousId', 'rudderstackUserId', 'gaClientId'];

/** A webhook that has the envelope's shape; its resource is still untrusted. */
export interface Webhook {
  id: string;
  name: string;
  data: { type: string; id: string; attributes: unknown; relationships: unknown };
  changes: unknown;
}

/** What the mapping reads from the handler's options. */
export interface MapOptions {
  channels: ReadonlySet<string>;
  allowFields: readonly string[];
  /** Custom attribute per identity (default `<identity>Str`, as `identityStitching()` writes them). */
  identityAttributes: Readonly<Record<IdentityName, string>>;
}

/** What one webhook means: its events, and the conversation's ids where the resource carries them. */
export interface MappedWebhook {
  events: ChatEvent[];
  conversationId?: string;
  /** Ids read from this webhook's own resource (a conversation's custom attributes, the customer). */
  identity: WebhookIdentity;
  /** Why nothing was reported, when nothing was. */
  ignored?: string;
}

const MAX_NAME_LENGTH = 200;

/** The envelope, or `undefined` when the parsed body is not a Kustomer webhook. */
export function asWebhook(value: unknown): Webhook | undefined {
  const id = toId(read(value, 'id'));
  const name = read(value, 'name');
  const data = read(value, 'data');
  const type = read(data, 'type');
  const resourceId = toId(read(data, 'id'));
  if (!id || typeof name !== 'string' || name.length > MAX_NAME_LENGTH || typeof type !== 'string' || !resourceId) return undefined;
  return { id, name, data: { type, id: resourceId, attributes: read(data, 'attributes'), relationships: read(data, 'relationships') }, changes: read(value, 'changes') };
}

/** A change of one attribute on update: `{ before, after }`, or `undefined` when the attribute did not change. */
function change(webhook: Webhook, attribute: string): { before: unknown; after: unknown } | undefined {
  const changed = read(read(webhook.changes, 'attributes'), attribute);
  if (changed === null || typeof changed !== 'object') return undefined;
  return { before: read(changed, 'before'), after: read(changed, 'after') };
}

function related(webhook: Webhook, name: string): string | undefined {
  // read() three times, not readPath(`${name}.data.id`): no string to build and split per call.
  return toId(read(read(read(webhook.data.relationships, name), 'data'), 'id')) ?? toId(read(webhook.data.attributes, name));
}

function seconds(from: unknown, to: unknown): number | undefined {
  const start = toIsoTime(from);
  const end = toIsoTime(to);
  if (!start || !end) return undefined;
  const value = (Date.parse(end) - Date.parse(start)) / 1000;
  return value >= 0 ? value : undefined;
}

function pickAllowed(attributes: unknown, paths: readonly string[]): Record<string, AllowedValue> {
  const extra: Record<string, AllowedValue> = {};
  for (const path of paths) {
    const value = readPath(attributes, path);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') extra[path] = value;
  }
  return extra;
}

/** The stitched ids in a conversation's custom attributes: only strings that look like ids, never personal data. */
export function conversationIdentity(attributes: unknown, options: MapOptions): WebhookIdentity {
  const custom = read(attributes, 'custom');
  const identity: WebhookIdentity = {};
  for (const name of IDENTITY_NAMES) {
    const value = read(custom, options.identityAttributes[name]);
    if (typeof value === 'string' && value !== '' && !idProblem(value)) identity[name] = value;
  }
  return identity;
}

interface Draft {
  action: ChatAction;
  fields: Record<string, unknown>;
  idSeed: string;
  metrics?: Record<string, number | undefined>;
}

/** A conversation on a channel the handler does not report: one whose `channels` list none of the allowed. */
function offChannel(attributes: unknown, options: MapOptions): string | undefined {
  const channels = read(attributes, 'channels');
  if (!Array.isArray(channels) || !channels.length) return undefined; // a chat is created before its first message
  return channels.some((channel) => typeof channel === 'string' && options.channels.has(channel)) ? undefined : `channels ${channels.filter((c) => typeof c === 'string').join(', ')} not reported`;
}

function conversationCreated(webhook: Webhook): Draft[] {
  const attributes = webhook.data.attributes;
  return [{ action: 'conversation_started', fields: { conversationId: webhook.data.id, timestamp: read(attributes, 'createdAt') }, idSeed: '' }];
}

/**
 * A message on a reported channel, from the customer's point of view as in the browser: `in` (the customer wrote)
 * is sent, `out` (the team or a workflow wrote) is received. `auto` messages (workflows, auto-responses) count: the
 * customer sees them, and the browser reports them too. CSAT messages (`source: 'satisfaction'`) are the survey,
 * not chat: the rating comes from the conversation's `satisfactionLevel`.
 */
function messageCreated(webhook: Webhook, options: MapOptions): Draft[] | string {
  const attributes = webhook.data.attributes;
  const channel = read(attributes, 'channel');
  if (typeof channel !== 'string' || !options.channels.has(channel)) return `channel ${typeof channel === 'string' ? channel.slice(0, 40) : 'missing'} not reported`;
  if (read(attributes, 'source') === 'satisfaction') return 'a satisfaction survey message';
  const direction = read(attributes, 'direction');
  const action = direction === 'in' ? 'message_sent' : direction === 'out' ? 'message_received' : undefined;
  if (!action) return 'no direction';
  const messageId = webhook.data.id;
  const conversationId = related(webhook, 'conversation');
  return [{ action, fields: { conversationId, messageId, timestamp: read(attributes, 'createdAt') ?? read(attributes, 'sentAt') }, idSeed: messageId }];
}

/**
 * Status and satisfaction changes of a conversation. Ends and reopens take the browser's seeds from the
 * conversation's `reopenCount` (`''` for the first end, `end:N` / `reopen:N` after N reopens); without it, the
 * webhook's own id, so that a retry is still one event.
 */
function conversationUpdated(webhook: Webhook): Draft[] {
  const attributes = webhook.data.attributes;
  const conversationId = webhook.data.id;
  const drafts: Draft[] = [];
  const status = change(webhook, 'status');
  const reopens = toCount(read(attributes, 'reopenCount'));
  if (status && status.after === 'done' && status.before !== 'done') {
    const doneAt = readPath(attributes, 'lastDone.createdAt') ?? read(attributes, 'updatedAt');
    const createdAt = read(attributes, 'createdAt');
    drafts.push({
      action: 'conversation_ended',
      fields: { conversationId, timestamp: doneAt },
      idSeed: reopens === undefined ? `webhook:${webhook.id}` : reopens ? `end:${reopens}` : '',
      metrics: {
        conversation_duration: seconds(createdAt, doneAt),
        first_response_time: seconds(createdAt, readPath(attributes, 'firstResponse.createdAt') ?? readPath(attributes, 'firstResponse.sentAt')),
      },
    });
  }
  if (status && status.before === 'done' && status.after === 'open') {
    drafts.push({
      action: 'conversation_reopened',
      fields: { conversationId, timestamp: read(attributes, 'updatedAt') },
      idSeed: reopens ? `reopen:${reopens}` : `webhook:${webhook.id}`,
    });
  }
  const satisfaction = change(webhook, 'satisfactionLevel');
  const dotted = change(webhook, 'satisfactionLevel.rating');
  const level = satisfaction?.after ?? read(attributes, 'satisfactionLevel');
  const rating = toNumber(read(satisfaction?.after, 'rating')) ?? toNumber(dotted?.after);
  const ratingBefore = toNumber(read(satisfaction?.before, 'rating')) ?? toNumber(dotted?.before);
  const satisfactionId = toId(read(level, 'formResponse'));
  if (rating !== undefined && rating !== ratingBefore) {
    drafts.push({
      action: 'satisfaction_submitted',
      fields: { conversationId, satisfactionId, rating, timestamp: read(level, 'updatedAt') ?? read(attributes, 'updatedAt') },
      idSeed: satisfactionId ?? '',
    });
  } else if (satisfaction && read(satisfaction.after, 'sentAt') && !read(satisfaction.before, 'sentAt')) {
    drafts.push({
      action: 'satisfaction_requested',
      fields: { conversationId, satisfactionId, timestamp: read(satisfaction.after, 'sentAt') },
      idSeed: satisfactionId ?? '',
    });
  }
  return drafts;
}

/**
 * The chat events one webhook means. Never throws: a resource of the wrong shape gives fewer fields or no event.
 */
export function mapWebhook(webhook: Webhook, options: MapOptions): MappedWebhook {
  const attributes = webhook.data.attributes;
  const isConversation = webhook.data.type === 'conversation';
  const identity: WebhookIdentity = isConversation ? conversationIdentity(attributes, options) : {};
  const customerId = related(webhook, 'customer');
  if (customerId) identity.customerId = customerId;
  const conversationId = isConversation ? webhook.data.id : related(webhook, 'conversation');
  const result = (drafts: Draft[] | string): MappedWebhook => {
    if (typeof drafts === 'string') return { events: [], conversationId, identity, ignored: drafts };
    const allowed = options.allowFields.length ? pickAllowed(attributes, options.allowFields) : {};
    const events = drafts.map((draft) => {
      const event = buildEvent(draft.action, draft.fields, 'webhook', draft.idSeed);
      // Most events (messages) have neither allowed fields nor metrics: no extra object is built for them.
      if (options.allowFields.length || draft.metrics) {
        const extra: Record<string, AllowedValue> = { ...allowed };
        for (const [name, value] of Object.entries(draft.metrics ?? {})) if (value !== undefined) extra[name] = value;
        if (Object.keys(extra).length) event.extra = extra;
      }
      return Object.freeze(event);
    });
    return { events, conversationId, identity, ignored: events.length ? undefined : 'no chat action in this change' };
  };
  if (webhook.name === 'kustomer.message.create' && webhook.data.type === 'message') return result(messageCreated(webhook, options));
  if (!isConversation) return result(`${webhook.name.slice(0, 60)} is not reported`);
  const off = offChannel(attributes, options);
  if (off) return result(off);
  if (webhook.name === 'kustomer.conversation.create') return result(conversationCreated(webhook));
  if (webhook.name === 'kustomer.conversation.update') return result(conversationUpdated(webhook));
  return result(`${webhook.name.slice(0, 60)} is not reported`);
}
