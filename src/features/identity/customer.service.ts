import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import type { Principal } from '../accounts/index.ts';
import { lockCustomer } from './customer-lock.repository.ts';
import { listMergesOf, resolveLiveCustomerId } from './customer-merge.repository.ts';
import { mergeFailure, mergeInTransaction } from './customer-merge.service.ts';
import {
  findCustomerRecord,
  listAuthors,
  listCaseHistory,
  searchCustomers,
  updateVulnerable,
} from './customer.repository.ts';
import type { CustomerCursor, CustomerListItem, CustomerRecord } from './customer.repository.ts';
import { normalizeEmail, normalizePhone, phoneRegionOf } from './evidence.extractor.ts';
import { rescanProfiles } from './evidence.linker.ts';
import {
  decideSuggestion,
  findIdentityHolder,
  findPhoneRegionSetting,
  findSuggestion,
  insertIdentity,
  listIdentities,
  listSuggestions,
  verifyIdentity,
} from './identity.repository.ts';
import type {
  AuthorView,
  CaseHistoryItem,
  IdentityKind,
  IdentityView,
  MergeView,
  SuggestionStatus,
  SuggestionView,
} from './identity.types.ts';

export interface CustomerDetail extends CustomerRecord {
  identities: IdentityView[];
  authors: AuthorView[];
  /** The customer's cases on every channel, newest first. */
  history: CaseHistoryItem[];
  /** Open suggestions involving this customer. */
  suggestions: SuggestionView[];
  merges: MergeView[];
}

export async function getCustomerDetail(db: Queryable, workspaceId: string, customerId: string): Promise<CustomerDetail> {
  const record = await findCustomerRecord(db, workspaceId, customerId);
  if (!record) throw notFound('customer');
  const [identities, authors, history, suggestions, merges] = await Promise.all([
    listIdentities(db, workspaceId, customerId),
    listAuthors(db, workspaceId, customerId),
    listCaseHistory(db, workspaceId, customerId),
    listSuggestions(db, workspaceId, customerId, 'open'),
    listMergesOf(db, workspaceId, customerId),
  ]);
  return { ...record, identities, authors, history, suggestions, merges };
}

export interface CustomerPage {
  customers: CustomerListItem[];
  nextCursor: string | null;
}

function encodeCursor(cursor: CustomerCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): CustomerCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' && value !== null &&
      'name' in value && typeof value.name === 'string' &&
      'id' in value && typeof value.id === 'string' && /^[0-9a-f-]{36}$/i.test(value.id)
    ) {
      return { name: value.name, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'cursor is not one this API returned');
}

export async function findCustomers(
  db: Queryable,
  workspaceId: string,
  query: { q?: string; limit: number; cursor?: string },
): Promise<CustomerPage> {
  const q = query.q?.trim() || null;
  const region = q && /\d/.test(q) ? phoneRegionOf(await findPhoneRegionSetting(db, workspaceId)) : undefined;
  const rows = await searchCustomers(db, workspaceId, {
    q,
    phone: q ? normalizePhone(q, region) : null,
    after: query.cursor ? decodeCursor(query.cursor) : null,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    customers: page.map(({ sortName: _sortName, ...item }) => item),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ name: last.sortName, id: last.id }) : null,
  };
}

export interface NewIdentity {
  kind: IdentityKind;
  platform?: string;
  value: string;
  merge?: boolean;
}

/** Normalises what an agent typed; a value that is not an address of its kind is a 422. */
async function normalizeIdentity(db: Queryable, workspaceId: string, input: NewIdentity): Promise<{ kind: IdentityKind; platform: string; value: string }> {
  switch (input.kind) {
    case 'email': {
      const value = normalizeEmail(input.value);
      if (!value) throw new AppError('validation_failed', 'value is not an email address', [{ path: 'value', message: 'not an email address' }]);
      return { kind: 'email', platform: 'email', value };
    }
    case 'phone': {
      const value = normalizePhone(input.value, phoneRegionOf(await findPhoneRegionSetting(db, workspaceId)));
      if (!value) {
        throw new AppError('validation_failed', 'value is not a valid phone number (use +country format)', [{ path: 'value', message: 'not a phone number' }]);
      }
      return { kind: 'phone', platform: 'phone', value };
    }
    case 'handle': {
      if (!input.platform) throw new AppError('validation_failed', 'a handle needs its platform', [{ path: 'platform', message: 'required for handles' }]);
      return { kind: 'handle', platform: input.platform, value: input.value.trim() };
    }
    default: {
      const unreachable: never = input.kind;
      return unreachable;
    }
  }
}

export interface IdentityAdded {
  identity: IdentityView;
  /** Set when the value belonged to another customer and the two were merged. */
  mergeId: string | null;
  customerId: string;
}

/**
 * An agent records an identity they verified (on the phone, by email). A value another customer holds is a 409
 * naming that customer, unless `merge` is set: then the two are merged (supervisors only, checked by the route).
 */
export async function addCustomerIdentity(db: Db, principal: Principal, customerId: string, input: NewIdentity): Promise<IdentityAdded> {
  const ws = principal.workspaceId;
  const identity = await normalizeIdentity(db, ws, input);
  const result = await db.transaction(async (tx) => {
    const holder = await findIdentityHolder(tx, ws, identity);
    let target = customerId;
    let mergeId: string | null = null;
    if (holder && holder.customerId !== customerId) {
      if (!input.merge) {
        throw new AppError('conflict', `this ${identity.kind} belongs to customer ${holder.customerId}`, [
          { path: 'otherCustomerId', message: holder.customerId },
        ]);
      }
      const attempt = await mergeInTransaction(tx, {
        workspaceId: ws,
        a: customerId,
        b: holder.customerId,
        source: 'agent',
        reason: `an agent confirmed the ${identity.kind} is this customer's`,
        evidence: { kind: identity.kind, value: identity.value, identityId: holder.identityId },
        actorUserId: principal.userId,
      });
      if (attempt.status !== 'merged') throw mergeFailure(attempt);
      mergeId = attempt.mergeId;
      target = attempt.survivorId;
    } else {
      await lockCustomer(tx, ws, customerId);
      const record = await findCustomerRecord(tx, ws, customerId);
      if (!record) throw notFound('customer');
      if (record.mergedIntoId) throw mergedConflict(record.mergedIntoId);
    }
    let identityId = holder?.identityId ?? null;
    if (identityId) await verifyIdentity(tx, ws, identityId);
    else identityId = await insertIdentity(tx, ws, target, { ...identity, verified: true });
    if (!identityId) throw new AppError('conflict', `this ${identity.kind} was just added to another customer; retry`);
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'customer.identity_added',
      actorUserId: principal.userId,
      data: { customerId: target, identityId, kind: identity.kind, verified: true, source: 'agent', mergeId },
    });
    return { identityId, mergeId, target };
  });
  const identities = await listIdentities(db, ws, result.target);
  const view = identities.find((i) => i.id === result.identityId);
  if (!view) throw notFound('identity');
  return { identity: view, mergeId: result.mergeId, customerId: result.target };
}

function mergedConflict(mergedIntoId: string): AppError {
  return new AppError('conflict', `this customer was merged into ${mergedIntoId}`, [{ path: 'mergedIntoId', message: mergedIntoId }]);
}

export interface MergeOutcome {
  mergeId: string;
  survivorId: string;
  absorbedId: string;
  moved: { authors: number; identities: number; cases: number };
}

/** A supervisor merges two customers by hand; the one first in touch survives. */
export async function mergeCustomersByHand(
  db: Db,
  principal: Principal,
  customerId: string,
  input: { otherCustomerId: string; reason: string },
): Promise<MergeOutcome> {
  const ws = principal.workspaceId;
  if (customerId === input.otherCustomerId) {
    throw new AppError('validation_failed', 'a customer cannot be merged with itself', [{ path: 'otherCustomerId', message: 'same customer' }]);
  }
  if (!(await findCustomerRecord(db, ws, customerId))) throw notFound('customer');
  if (!(await findCustomerRecord(db, ws, input.otherCustomerId))) {
    throw new AppError('validation_failed', 'otherCustomerId is not a customer of this workspace', [{ path: 'otherCustomerId', message: 'unknown customer' }]);
  }
  const attempt = await db.transaction((tx) =>
    mergeInTransaction(tx, {
      workspaceId: ws,
      a: customerId,
      b: input.otherCustomerId,
      source: 'agent',
      reason: input.reason,
      evidence: null,
      actorUserId: principal.userId,
    }),
  );
  if (attempt.status !== 'merged') throw mergeFailure(attempt);
  return { mergeId: attempt.mergeId, survivorId: attempt.survivorId, absorbedId: attempt.absorbedId, moved: attempt.moved };
}

export async function listCustomerSuggestions(
  db: Queryable,
  workspaceId: string,
  customerId: string,
  status: SuggestionStatus | 'all',
): Promise<SuggestionView[]> {
  if (!(await findCustomerRecord(db, workspaceId, customerId))) throw notFound('customer');
  return listSuggestions(db, workspaceId, customerId, status);
}

/** Compares the customer's accounts with every other platform's again; returns the open suggestions. */
export async function rescanCustomerSuggestions(db: Db, workspaceId: string, customerId: string): Promise<{ created: number; suggestions: SuggestionView[] }> {
  const created = await db.transaction(async (tx) => {
    const record = await findCustomerRecord(tx, workspaceId, customerId);
    if (!record) throw notFound('customer');
    if (record.mergedIntoId) throw mergedConflict(record.mergedIntoId);
    const authors = await listAuthors(tx, workspaceId, customerId);
    return rescanProfiles(tx, workspaceId, customerId, authors);
  });
  return { created, suggestions: await listSuggestions(db, workspaceId, customerId, 'open') };
}

async function openSuggestionOf(
  tx: Queryable,
  workspaceId: string,
  customerId: string,
  suggestionId: string,
  forUpdate: boolean,
): Promise<SuggestionView> {
  const suggestion = await findSuggestion(tx, workspaceId, suggestionId, forUpdate);
  if (!suggestion) throw notFound('suggestion');
  if (suggestion.customerId !== customerId && suggestion.otherCustomer?.id !== customerId) throw notFound('suggestion');
  if (suggestion.status !== 'open') throw new AppError('conflict', `this suggestion was already ${suggestion.status}`);
  return suggestion;
}

export interface SuggestionDecision {
  suggestion: SuggestionView;
  mergeId: string | null;
  customerId: string;
}

/**
 * An agent confirms a suggestion: a merge suggestion merges the two (older first contact survives); an identity
 * suggestion adds the identity as verified, merging with its holder if another customer has it meanwhile.
 */
export async function acceptSuggestion(db: Db, principal: Principal, customerId: string, suggestionId: string): Promise<SuggestionDecision> {
  const ws = principal.workspaceId;
  const result = await db.transaction(async (tx) => {
    const first = await openSuggestionOf(tx, ws, customerId, suggestionId, false);
    const live = await resolveLiveCustomerId(tx, ws, first.customerId);
    if (!live) throw notFound('customer');
    const other = first.otherCustomer ? await resolveLiveCustomerId(tx, ws, first.otherCustomer.id) : null;
    // Customer locks before the suggestion's row lock: a merge in the ingest pipeline takes them in that order too.
    const held: string[] = [];
    for (const id of [live, other].filter((v): v is string => v !== null).sort()) {
      await lockCustomer(tx, ws, id, held);
      held.push(id);
    }
    const seen = await openSuggestionOf(tx, ws, customerId, suggestionId, true);
    let mergeId: string | null = null;
    let target = live;
    const mergeWith = async (other: string, reason: string) => {
      const attempt = await mergeInTransaction(tx, {
        workspaceId: ws,
        a: live,
        b: other,
        source: 'agent',
        reason,
        evidence: { suggestionId, evidence: seen.evidence },
        actorUserId: principal.userId,
        held,
      });
      if (attempt.status !== 'merged') throw mergeFailure(attempt);
      mergeId = attempt.mergeId;
      target = attempt.survivorId;
    };
    if (seen.kind === 'merge') {
      if (!other) throw notFound('customer');
      if (other !== live) await mergeWith(other, `suggestion accepted: ${seen.evidence}`);
    } else if (seen.kind === 'identity' && seen.identity) {
      const holder = await findIdentityHolder(tx, ws, seen.identity);
      if (holder && holder.customerId !== live) await mergeWith(holder.customerId, `suggestion accepted: ${seen.evidence}`);
      let identityId = holder?.identityId ?? null;
      if (identityId) await verifyIdentity(tx, ws, identityId);
      else identityId = await insertIdentity(tx, ws, live, { ...seen.identity, verified: true });
      if (identityId) {
        await appendEvent(tx, {
          workspaceId: ws,
          type: 'customer.identity_added',
          actorUserId: principal.userId,
          data: { customerId: target, identityId, kind: seen.identity.kind, verified: true, source: 'suggestion', suggestionId },
        });
      }
    }
    await decideSuggestion(tx, ws, suggestionId, { status: 'accepted', userId: principal.userId });
    return { mergeId, target };
  });
  const suggestion = await findSuggestion(db, ws, suggestionId);
  if (!suggestion) throw notFound('suggestion');
  return { suggestion, mergeId: result.mergeId, customerId: result.target };
}

export async function dismissSuggestion(db: Db, principal: Principal, customerId: string, suggestionId: string): Promise<SuggestionView> {
  const ws = principal.workspaceId;
  await db.transaction(async (tx) => {
    const seen = await openSuggestionOf(tx, ws, customerId, suggestionId, true);
    await decideSuggestion(tx, ws, suggestionId, { status: 'dismissed', userId: principal.userId });
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'customer.suggestion_dismissed',
      actorUserId: principal.userId,
      data: { customerId: seen.customerId, suggestionId, kind: seen.kind, evidence: seen.evidence, otherCustomerId: seen.otherCustomer?.id ?? null },
    });
  });
  const suggestion = await findSuggestion(db, ws, suggestionId);
  if (!suggestion) throw notFound('suggestion');
  return suggestion;
}

/** Supervisors flag (or unflag) a customer who needs extra care; priority reads customer.vulnerable. */
export async function setCustomerVulnerable(
  db: Db,
  principal: Principal,
  customerId: string,
  input: { vulnerable: boolean; note: string | null },
): Promise<CustomerRecord> {
  const ws = principal.workspaceId;
  await db.transaction(async (tx) => {
    await lockCustomer(tx, ws, customerId);
    const record = await findCustomerRecord(tx, ws, customerId, true);
    if (!record) throw notFound('customer');
    if (record.mergedIntoId) throw mergedConflict(record.mergedIntoId);
    await updateVulnerable(tx, ws, customerId, input);
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'customer.vulnerable_changed',
      actorUserId: principal.userId,
      data: { customerId, from: record.vulnerable, to: input.vulnerable, note: input.note },
    });
  });
  const record = await findCustomerRecord(db, ws, customerId);
  if (!record) throw notFound('customer');
  return record;
}
