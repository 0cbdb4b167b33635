import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Classifier, Labels } from '../classification/index.ts';
import type { ListeningMatcher } from '../listening/index.ts';
import { linkEvidence, resolveAuthor } from '../identity/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { applyInboundToCase, applyOutboundToCase, openCase } from '../cases/index.ts';
import { findCaseOfMessage, findMessageByExternalId, findOpenCaseOfCustomer, insertMessage } from '../cases/index.ts';
import { detectPoaching } from '../competitor-watch/index.ts';
import { assessIngestedPost, raiseAlert } from '../alerts/index.ts';
import type { EngagementRecommendation } from '../alerts/index.ts';
import type { InboundMessage } from './inbound.schema.ts';
import { sanitizeRaw, sanitizeText } from './inbound.schema.ts';

export interface IngestDeps {
  db: Db;
  classifier: Classifier;
  matcher: ListeningMatcher;
  clock: Clock;
  notifier: EventNotifier;
  /** A customer's new message joins their open case if it saw activity within this many hours. */
  threadWindowHours: number;
}

export interface IngestChannel {
  workspaceId: string;
  id: string;
  kind: string;
  owned: boolean;
}

export type IngestStatus = 'created' | 'duplicate' | 'ignored';

export interface IngestOptions {
  /** The case an agent filed this message under (a call logged by hand): it wins over reply-chain threading. */
  caseId?: string;
}

export interface IngestOutcome {
  externalId: string;
  status: IngestStatus;
  messageId: string | null;
  caseId: string | null;
  caseCreated: boolean;
  /** Engage, monitor or ignore, with reasons: set for an inbound message this call stored (docs/ALERTS.md). */
  recommendation?: EngagementRecommendation;
}

/**
 * The one ingest path for every channel: listen → classify → identity → threading → case → event, written in one
 * transaction. Idempotent on (channel, external id): a redelivery returns the stored message and changes nothing.
 */
export async function ingestMessage(deps: IngestDeps, channel: IngestChannel, input: InboundMessage, options: IngestOptions = {}): Promise<IngestOutcome> {
  const text = sanitizeText(input.text);
  const inbound = input.direction === 'inbound';
  // A competitor's official account answering one of our customers: a churn-risk event on the customer's case,
  // never a message or case of its own (docs/REPORTS.md, competitor watch).
  if (inbound && input.replyToExternalId && input.author.handle) {
    const poaching = await detectPoaching(deps.db, {
      workspaceId: channel.workspaceId,
      channel: { id: channel.id, kind: channel.kind },
      externalId: input.externalId,
      replyToExternalId: input.replyToExternalId,
      authorPlatform: input.author.platform ?? channel.kind,
      authorHandle: sanitizeText(input.author.handle),
      text,
      sentAt: input.sentAt ? new Date(input.sentAt) : deps.clock.now(),
    });
    if (poaching) {
      if (!poaching.duplicate) deps.notifier.notify(channel.workspaceId);
      return { externalId: input.externalId, status: 'ignored', messageId: null, caseId: poaching.caseId, caseCreated: false };
    }
  }
  const verdict = channel.owned
    ? { pass: true, matchedRuleIds: [] }
    : deps.matcher.match({
        workspaceId: channel.workspaceId,
        owned: false,
        text,
        authorHandle: input.author.handle ?? null,
        isReply: input.replyToExternalId !== undefined,
        lang: platformLangOf(input.raw),
      });
  if (!verdict.pass) {
    return { externalId: input.externalId, status: 'ignored', messageId: null, caseId: null, caseCreated: false };
  }
  // Classification is pure CPU work: done before the transaction so locks are held briefly.
  const labels = inbound ? deps.classifier.classify(text) : null;

  const outcome = await deps.db.transaction(async (tx) => {
    const existing = await findMessageByExternalId(tx, channel.workspaceId, channel.id, input.externalId);
    if (existing) return duplicate(input.externalId, existing);
    return inbound
      ? writeInbound(tx, deps, channel, input, text, labels, verdict.matchedRuleIds, options.caseId ?? null)
      : writeOutbound(tx, deps, channel, input, text, options.caseId ?? null);
  });
  if (outcome.status === 'created') deps.notifier.notify(channel.workspaceId);
  return outcome;
}

/** The language the platform tagged the post with, which listeners keep in the raw payload as `lang`. */
function platformLangOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('lang' in raw)) return null;
  return typeof raw.lang === 'string' && raw.lang.length <= 35 ? raw.lang : null;
}

function duplicate(externalId: string, existing: { id: string; caseId: string | null }): IngestOutcome {
  return { externalId, status: 'duplicate', messageId: existing.id, caseId: existing.caseId, caseCreated: false };
}

async function writeInbound(
  tx: Queryable,
  deps: IngestDeps,
  channel: IngestChannel,
  input: InboundMessage,
  text: string,
  labels: Labels | null,
  matchedRuleIds: string[],
  caseHint: string | null,
): Promise<IngestOutcome> {
  const ws = channel.workspaceId;
  const author = await resolveAuthor(tx, ws, {
    platform: input.author.platform ?? channel.kind,
    externalId: sanitizeText(input.author.externalId),
    handle: input.author.handle === undefined ? null : sanitizeText(input.author.handle),
    displayName: input.author.displayName === undefined ? null : sanitizeText(input.author.displayName),
    followerCount: input.author.followerCount ?? null,
  });
  // One customer's messages are threaded one at a time, so two messages arriving together never open two cases.
  // A customer created by this transaction is invisible to every other one until commit (a concurrent first message
  // from the same author waits on the author's unique index, then takes this lock), so it needs no lock.
  if (!author.created) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${ws}:${author.customerId}`]);
  }

  const sentAt = input.sentAt ? new Date(input.sentAt) : deps.clock.now();
  const messageId = randomUUID();
  let caseId: string | null = caseHint;
  if (!caseId && input.replyToExternalId) caseId = await findCaseOfMessage(tx, ws, channel.id, input.replyToExternalId);
  if (!caseId && !author.created) {
    const since = new Date(sentAt.getTime() - deps.threadWindowHours * 3_600_000);
    caseId = await findOpenCaseOfCustomer(tx, ws, author.customerId, since);
  }
  const spam = labels?.intent === 'spam';
  let caseCreated = false;
  if (!caseId && !spam && labels) {
    caseId = await openCase(tx, { workspaceId: ws, customerId: author.customerId, channel, labels, text, at: sentAt });
    caseCreated = true;
  }
  // Alerting: the engage / monitor / ignore recommendation stored with the message (docs/ALERTS.md).
  const assessment = await assessIngestedPost(tx, {
    workspaceId: ws, messageId, channelId: channel.id, channelOwned: channel.owned, authorId: author.authorId,
    authorHandle: input.author.handle === undefined ? null : sanitizeText(input.author.handle), followerCount: input.author.followerCount ?? null,
    isPublic: input.isPublic, text, labels, matchedRuleIds, replyToExternalId: input.replyToExternalId ?? null, isQuote: isQuoteOf(input),
    sentAt, caseId, now: deps.clock.now(),
  });
  const inserted = await insertMessage(tx, {
    workspaceId: ws,
    id: messageId,
    channelId: channel.id,
    caseId,
    authorId: author.authorId,
    senderName: null,
    direction: 'inbound',
    externalId: input.externalId,
    replyToExternalId: input.replyToExternalId ?? null,
    isPublic: input.isPublic,
    text,
    raw: sanitizeRaw(input.raw),
    labels,
    matchedRuleIds,
    sentAt,
    recommendation: assessment.recommendation,
  });
  if (!inserted) {
    // A concurrent delivery of the same message won the race; this transaction's writes are rolled back.
    throw new DuplicateDelivery();
  }
  if (caseId && labels && !caseCreated) await applyInboundToCase(tx, { workspaceId: ws, caseId, labels, at: sentAt, text });
  // A viral-risk alert when the author's reach alone calls for one: to the communications team, never to the case.
  if (assessment.reachAlert) await raiseAlert(tx, assessment.reachAlert);
  await appendEvent(tx, {
    workspaceId: ws,
    type: 'message.received',
    caseId,
    data: { messageId, channelId: channel.id, channelKind: channel.kind, caseCreated },
  });
  // Addresses the customer gives link their identities (or merge customers) in this same transaction.
  await linkEvidence(tx, { workspaceId: ws, customerId: author.customerId, authorId: author.authorId, authorCreated: author.created, messageId, text, channelKind: channel.kind, isOwnedChannel: channel.owned });
  return { externalId: input.externalId, status: 'created', messageId, caseId, caseCreated, recommendation: assessment.recommendation };
}

/** A quote references the quoted post as its reply-to; listeners mark it in the raw payload (`quoteOf`). */
function isQuoteOf(input: InboundMessage): boolean {
  const raw = input.raw;
  if (typeof raw !== 'object' || raw === null || !('quoteOf' in raw)) return false;
  return typeof raw.quoteOf === 'string' && raw.quoteOf === input.replyToExternalId;
}

async function writeOutbound(
  tx: Queryable,
  deps: IngestDeps,
  channel: IngestChannel,
  input: InboundMessage,
  text: string,
  caseHint: string | null,
): Promise<IngestOutcome> {
  const ws = channel.workspaceId;
  const caseId = caseHint ?? (input.replyToExternalId ? await findCaseOfMessage(tx, ws, channel.id, input.replyToExternalId) : null);
  const sentAt = input.sentAt ? new Date(input.sentAt) : deps.clock.now();
  const messageId = randomUUID();
  const inserted = await insertMessage(tx, {
    workspaceId: ws,
    id: messageId,
    channelId: channel.id,
    caseId,
    authorId: null,
    senderName: sanitizeText(input.senderName ?? input.author.handle ?? input.author.externalId),
    direction: 'outbound',
    externalId: input.externalId,
    replyToExternalId: input.replyToExternalId ?? null,
    isPublic: input.isPublic,
    text,
    raw: sanitizeRaw(input.raw),
    labels: null,
    matchedRuleIds: [],
    sentAt,
  });
  if (!inserted) throw new DuplicateDelivery();
  if (caseId) await applyOutboundToCase(tx, { workspaceId: ws, caseId, at: sentAt });
  await appendEvent(tx, { workspaceId: ws, type: 'message.sent', caseId, data: { messageId, channelId: channel.id } });
  return { externalId: input.externalId, status: 'created', messageId, caseId, caseCreated: false };
}

class DuplicateDelivery extends Error {
  constructor() {
    super('message already stored by a concurrent delivery');
  }
}

/** Ingests with one retry when a concurrent delivery of the same message committed first. */
export async function ingestMessageOnce(
  deps: IngestDeps,
  channel: IngestChannel,
  input: InboundMessage,
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  try {
    return await ingestMessage(deps, channel, input, options);
  } catch (error) {
    if (!(error instanceof DuplicateDelivery)) throw error;
    const existing = await findMessageByExternalId(deps.db, channel.workspaceId, channel.id, input.externalId);
    if (!existing) throw error;
    return duplicate(input.externalId, existing);
  }
}
