import crypto, { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { encryptSecret } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { listDeliveries } from './delivery.repository.ts';
import type { DeliveryView } from './delivery.repository.ts';
import {
  deleteSubscription,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  presentSubscription,
  updateSubscription,
} from './subscription.repository.ts';
import type { SubscriptionChange, WebhookSubscription } from './subscription.repository.ts';
import { checkTargetUrl } from './target.guard.ts';
import { isWebhookEventPattern } from './webhook-event-types.ts';

export interface WebhookDeps {
  db: Queryable;
  secretKey: Buffer;
  allowPrivate: boolean;
  now: Date;
}

export interface NewSubscription {
  url: string;
  eventTypes: string[];
  description?: string;
  /** The signing secret; Parley generates one when it is left out. */
  secret?: string;
}

export interface SubscriptionPatch {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  enabled?: boolean;
}

/** A subscription with its signing secret: shown once, when it is created or its secret is replaced. */
export interface SubscriptionWithSecret {
  subscription: WebhookSubscription;
  secret: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

function checkEventTypes(eventTypes: string[]): string[] {
  const unknown = eventTypes.filter((t) => !isWebhookEventPattern(t));
  if (unknown.length > 0) throw invalid('eventTypes', `not an event type a webhook can carry: ${unknown.join(', ')}`);
  return [...new Set(eventTypes)];
}

function generateSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

export async function getSubscriptions(deps: WebhookDeps, principal: Principal): Promise<WebhookSubscription[]> {
  return (await listSubscriptions(deps.db, principal.workspaceId)).map(presentSubscription);
}

export async function getSubscription(deps: WebhookDeps, principal: Principal, id: string): Promise<WebhookSubscription> {
  const row = await findSubscription(deps.db, principal.workspaceId, id);
  if (!row) throw notFound('webhook subscription');
  return presentSubscription(row);
}

export async function createSubscription(deps: WebhookDeps, principal: Principal, input: NewSubscription): Promise<SubscriptionWithSecret> {
  const url = checkTargetUrl(input.url, deps.allowPrivate).toString();
  const eventTypes = checkEventTypes(input.eventTypes);
  const secret = input.secret ?? generateSecret();
  const row = await insertSubscription(deps.db, {
    workspaceId: principal.workspaceId,
    id: randomUUID(),
    url,
    description: input.description?.trim() || null,
    eventTypes,
    secretSealed: encryptSecret(deps.secretKey, secret),
    createdBy: principal.userId,
    at: deps.now,
  });
  return { subscription: presentSubscription(row), secret };
}

/** Changes a subscription. Enabling a disabled one resets its failure run; it hears events from then on. */
export async function changeSubscription(deps: WebhookDeps, principal: Principal, id: string, patch: SubscriptionPatch): Promise<WebhookSubscription> {
  const current = await findSubscription(deps.db, principal.workspaceId, id);
  if (!current) throw notFound('webhook subscription');
  const change: SubscriptionChange = {};
  if (patch.url !== undefined) change.url = checkTargetUrl(patch.url, deps.allowPrivate).toString();
  if (patch.eventTypes !== undefined) change.eventTypes = checkEventTypes(patch.eventTypes);
  if (patch.description !== undefined) change.description = patch.description?.trim() || null;
  if (patch.enabled !== undefined && patch.enabled !== current.enabled) {
    change.enabled = { value: patch.enabled, reason: patch.enabled ? null : 'disabled by an admin' };
  }
  const row = await updateSubscription(deps.db, principal.workspaceId, id, change, deps.now);
  if (!row) throw notFound('webhook subscription');
  return presentSubscription(row);
}

/** Replaces the signing secret at once: deliveries from the next attempt on are signed with the new one. */
export async function rotateSubscriptionSecret(deps: WebhookDeps, principal: Principal, id: string, secret?: string): Promise<SubscriptionWithSecret> {
  const next = secret ?? generateSecret();
  const row = await updateSubscription(deps.db, principal.workspaceId, id, { secretSealed: encryptSecret(deps.secretKey, next) }, deps.now);
  if (!row) throw notFound('webhook subscription');
  return { subscription: presentSubscription(row), secret: next };
}

export async function removeSubscription(deps: WebhookDeps, principal: Principal, id: string): Promise<void> {
  if (!(await deleteSubscription(deps.db, principal.workspaceId, id))) throw notFound('webhook subscription');
}

export async function getDeliveries(deps: WebhookDeps, principal: Principal, id: string, limit: number): Promise<DeliveryView[]> {
  if (!(await findSubscription(deps.db, principal.workspaceId, id))) throw notFound('webhook subscription');
  return listDeliveries(deps.db, principal.workspaceId, id, limit);
}
