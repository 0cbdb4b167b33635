import type { Queryable } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import { wasMergeUndone } from './customer-merge.repository.ts';
import { mergeInTransaction } from './customer-merge.service.ts';
import { extractEvidence, phoneRegionOf } from './evidence.extractor.ts';
import type { ContactEvidence } from './evidence.extractor.ts';
import { findAuthorProfile, findCustomersNamed, findIdentityHolder, findPhoneRegionSetting, findProfileLookalikes, insertIdentity, insertSuggestion } from './identity.repository.ts';
import type { SuggestionEvidence } from './identity.types.ts';

export interface EvidenceInput {
  workspaceId: string;
  /** The message's customer; the ingest pipeline holds its lock. */
  customerId: string;
  messageId: string;
  text: string;
  channelKind: string;
  /** Only messages *to the brand* (owned channels) count as a customer telling us who they are. */
  isOwnedChannel: boolean;
  authorId: string;
  /** This message created the author: its profile is compared with other platforms' once. */
  authorCreated: boolean;
}

export interface LinkOutcome {
  /** The message's customer after linking (the survivor, if the message's customer was absorbed). */
  customerId: string;
  merged: string[];
  identitiesAdded: number;
  suggestions: number;
}

// A name shared by more customers than this says nothing about who someone is.
const maxLookalikes = 3;

// Speech-to-text mishears digits and letters: what a transcript contains is only ever a suggestion.
const transcriptChannels = new Set(['phone']);

/**
 * Links the message's customer to the identities they give. Exact evidence — an email address or phone number written
 * in a message to the brand — adds an unverified identity, or merges with the customer whose *verified* identity it
 * is. Weaker evidence (two unverified claims, obfuscated addresses, transcripts, look-alike profiles) only suggests.
 * Runs inside the ingest transaction; at most a handful of candidates per message.
 */
export async function linkEvidence(tx: Queryable, input: EvidenceInput): Promise<LinkOutcome> {
  const outcome: LinkOutcome = { customerId: input.customerId, merged: [], identitiesAdded: 0, suggestions: 0 };
  if (input.authorCreated) {
    const author = await findAuthorProfile(tx, input.workspaceId, input.authorId);
    if (author) outcome.suggestions += await suggestFromProfile(tx, input.workspaceId, input.customerId, author);
  }
  if (!input.isOwnedChannel) return outcome;

  const transcript = transcriptChannels.has(input.channelKind);
  // The region only matters for numbers in national format; skip the lookup for texts without a digit run.
  const region = /\d{2}/.test(input.text) ? phoneRegionOf(await findPhoneRegionSetting(tx, input.workspaceId)) : undefined;
  const evidence = extractEvidence(input.text, { defaultRegion: region, transcript });

  // Every customer lock this transaction holds: the pipeline's, then any a merge took.
  const held = [input.customerId];
  for (const contact of evidence.contacts) {
    const weak: SuggestionEvidence | null = transcript ? 'contact_in_transcript' : contact.strength === 'weak' ? 'obfuscated_contact' : null;
    await linkContact(tx, input, outcome, held, contact, weak);
  }
  for (const name of evidence.names) {
    const named = await findCustomersNamed(tx, input.workspaceId, { name, exceptCustomerId: outcome.customerId, limit: maxLookalikes + 1 });
    if (named.length > maxLookalikes) continue;
    for (const other of named) {
      const added = await insertSuggestion(tx, {
        workspaceId: input.workspaceId,
        customerId: outcome.customerId,
        kind: 'merge',
        otherCustomerId: other.customerId,
        evidence: 'name_in_transcript',
        detail: `the caller said their name is "${name}"`,
        messageId: input.messageId,
      });
      if (added) outcome.suggestions += 1;
    }
  }
  return outcome;
}

async function linkContact(
  tx: Queryable,
  input: EvidenceInput,
  outcome: LinkOutcome,
  held: string[],
  contact: ContactEvidence,
  weak: SuggestionEvidence | null,
): Promise<void> {
  const ws = input.workspaceId;
  const identity = { kind: contact.kind, platform: contact.kind, value: contact.value };
  const holder = await findIdentityHolder(tx, ws, identity);
  if (holder?.customerId === outcome.customerId) return;

  if (!holder) {
    if (weak) {
      const added = await insertSuggestion(tx, {
        workspaceId: ws,
        customerId: outcome.customerId,
        kind: 'identity',
        identity,
        evidence: weak,
        detail: `${contact.kind} ${contact.value} appears in a message`,
        messageId: input.messageId,
      });
      if (added) outcome.suggestions += 1;
      return;
    }
    const identityId = await insertIdentity(tx, ws, outcome.customerId, { ...identity, verified: false });
    if (!identityId) return;
    outcome.identitiesAdded += 1;
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'customer.identity_added',
      data: { customerId: outcome.customerId, identityId, kind: contact.kind, verified: false, source: 'message', messageId: input.messageId },
    });
    return;
  }

  // Two unverified claims prove nothing (anyone can type an address), and a pair a supervisor separated stays apart
  // until a person says otherwise.
  let reason: SuggestionEvidence | null = weak ?? (holder.verified ? null : 'contact_in_message');
  if (!reason && (await wasMergeUndone(tx, ws, outcome.customerId, holder.customerId))) reason = 'merge_undone';
  if (!reason) {
    const attempt = await mergeInTransaction(tx, {
      workspaceId: ws,
      a: outcome.customerId,
      b: holder.customerId,
      source: 'evidence',
      reason: `${contact.kind} given in a message matches a verified identity`,
      evidence: { kind: contact.kind, value: contact.value, messageId: input.messageId, identityId: holder.identityId },
      actorUserId: null,
      held,
    });
    if (attempt.status === 'merged') {
      held.push(holder.customerId);
      outcome.merged.push(attempt.mergeId);
      outcome.customerId = attempt.survivorId;
      return;
    }
    // The other customer is busy or changed under us: keep the evidence for an agent instead of waiting.
    reason = 'contact_in_message';
  }
  const added = await insertSuggestion(tx, {
    workspaceId: ws,
    customerId: outcome.customerId,
    kind: 'merge',
    otherCustomerId: holder.customerId,
    evidence: reason,
    detail: `${contact.kind} ${contact.value} given in a message belongs to the other customer`,
    messageId: input.messageId,
  });
  if (added) outcome.suggestions += 1;
}

async function suggestFromProfile(
  tx: Queryable,
  workspaceId: string,
  customerId: string,
  author: { platform: string; handle: string | null; displayName: string | null },
): Promise<number> {
  let count = 0;
  const probes: { match: 'display_name' | 'handle'; value: string | null; evidence: SuggestionEvidence }[] = [
    { match: 'display_name', value: author.displayName, evidence: 'same_display_name' },
    { match: 'handle', value: author.handle, evidence: 'similar_handle' },
  ];
  for (const probe of probes) {
    if (!probe.value) continue;
    const lookalikes = await findProfileLookalikes(tx, workspaceId, {
      customerId,
      platform: author.platform,
      match: probe.match,
      value: probe.value,
      limit: maxLookalikes + 1,
    });
    if (lookalikes.length > maxLookalikes) continue;
    for (const other of lookalikes) {
      const added = await insertSuggestion(tx, {
        workspaceId,
        customerId,
        kind: 'merge',
        otherCustomerId: other.customerId,
        evidence: probe.evidence,
        detail: probe.match === 'display_name'
          ? `same display name "${probe.value}" on ${author.platform} and another platform`
          : `handle "${probe.value}" on ${author.platform} looks like a handle of the other customer`,
      });
      if (added) count += 1;
    }
  }
  return count;
}

/** Re-runs the profile comparison for every author of a customer (for customers older than the linker). */
export async function rescanProfiles(
  tx: Queryable,
  workspaceId: string,
  customerId: string,
  authors: readonly { platform: string; handle: string | null; displayName: string | null }[],
): Promise<number> {
  let count = 0;
  for (const author of authors.slice(0, 20)) count += await suggestFromProfile(tx, workspaceId, customerId, author);
  return count;
}
