import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { findUser } from '../accounts/index.ts';
import { findCase } from '../cases/index.ts';
import { findCustomer } from '../identity/index.ts';
import { formatDuration, listChannels } from '../channels/index.ts';
import type { ChannelView } from '../channels/index.ts';
import { ingestMessage } from '../ingest/index.ts';
import type { IngestDeps, IngestOutcome } from '../ingest/index.ts';

export type CallDirection = 'inbound' | 'outbound';

export interface LoggedCall {
  direction: CallDirection;
  /** E.164, already normalised; null means the number the customer is known by. */
  phone: string | null;
  durationSeconds: number;
  summary: string;
}

/** The phone channel a case's calls go on: the case's own channel when it is a phone case, else the workspace's first. */
async function phoneChannelOf(db: Queryable, workspaceId: string, caseChannelId: string): Promise<ChannelView | null> {
  const phones = (await listChannels(db, workspaceId)).filter((c) => c.kind === 'phone' && c.config.enabled !== false);
  return phones.find((c) => c.id === caseChannelId) ?? phones[0] ?? null;
}

/**
 * An agent logs a phone call on a case by hand: it goes through the ingest pipeline as a message on the phone
 * channel, filed under that case. An inbound call counts as the customer's contact; an outbound one is the brand's
 * answer (it stops the response clock like any reply).
 */
export async function logCall(deps: IngestDeps, principal: Principal, caseId: string, call: LoggedCall): Promise<IngestOutcome> {
  const ws = principal.workspaceId;
  const row = await findCase(deps.db, ws, caseId);
  if (!row) throw notFound('case');
  const channel = await phoneChannelOf(deps.db, ws, row.channel_id);
  if (!channel) {
    throw new AppError('validation_failed', 'this workspace has no phone channel to log the call on', [
      { path: '(root)', message: 'create a channel of kind "phone" first' },
    ]);
  }
  const customer = await findCustomer(deps.db, ws, row.customer_id);
  const phone = call.phone ?? customer?.identities.find((identity) => identity.kind === 'phone')?.value ?? null;
  if (call.direction === 'inbound' && !phone) {
    throw new AppError('validation_failed', 'phone: the customer has no phone number on file; give the number that called', [
      { path: 'phone', message: 'required when the customer has no phone number' },
    ]);
  }
  const agent = await findUser(deps.db, ws, principal.userId);
  const agentName = agent?.name ?? 'Agent';
  const counterpart = phone ?? 'the customer';
  const what = call.direction === 'inbound' ? `Call from ${counterpart}` : `Call to ${counterpart}`;
  const text = `${what}, ${formatDuration(call.durationSeconds)} (logged by ${agentName}): ${call.summary}`;
  const target = { workspaceId: ws, id: channel.id, kind: channel.kind, owned: channel.owned };
  return ingestMessage(deps, target, {
    externalId: `agent-call:${randomUUID()}`,
    direction: call.direction,
    text,
    author: call.direction === 'inbound'
      ? { platform: 'phone', externalId: phone ?? '', handle: phone ?? undefined }
      : { platform: 'phone', externalId: `agent:${principal.userId}`, displayName: agentName },
    senderName: call.direction === 'outbound' ? agentName : undefined,
    isPublic: false,
    sentAt: deps.clock.now().toISOString(),
    raw: { source: 'agent', loggedBy: principal.userId, direction: call.direction, phone, durationSeconds: call.durationSeconds },
  }, { caseId });
}
