import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../src/http/app-context.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { ChannelKind, ChannelView } from '../../src/features/channels/index.ts';
import { createOutboxWorker } from '../../src/features/replies/index.ts';
import type { OutboxWorker, OutboxWorkerOptions, ReplyView } from '../../src/features/replies/index.ts';
import type { InboundMessageInput } from '../../src/features/ingest/index.ts';
import { bearer, postMessages } from './app.ts';

/** Test helpers for replies: channels with send settings, ingesting the message to answer, a worker, the API. */

export async function createSendChannel(
  ctx: AppContext,
  workspaceId: string,
  kind: ChannelKind,
  config: Record<string, unknown>,
  credentials?: Record<string, string>,
): Promise<{ channel: ChannelView; token: string }> {
  return createChannel(ctx.db, ctx.secretKey, { workspaceId, kind, name: `${kind} ${Math.random().toString(36).slice(2, 6)}`, config, credentials });
}

export async function ingestOne(
  app: FastifyInstance,
  channel: { channel: ChannelView; token: string },
  message: InboundMessageInput,
): Promise<{ messageId: string; caseId: string }> {
  const res = await postMessages(app, channel, message);
  expect(res.statusCode, res.body).toBe(201);
  const body: { data: { messageId: string; caseId: string } } = res.json();
  return body.data;
}

export function testWorker(ctx: AppContext, clock: Clock, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  return createOutboxWorker({ db: ctx.db, secretKey: ctx.secretKey, logger: ctx.logger, clock, notifier: ctx.notifier, random: () => 0.5, ...options });
}

export function postReply(app: FastifyInstance, token: string, caseId: string, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/replies`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

export async function replyOf(app: FastifyInstance, token: string, replyId: string): Promise<ReplyView> {
  const res = await app.inject({ url: `/api/v1/replies/${replyId}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  const body: { data: ReplyView } = res.json();
  return body.data;
}

export async function createdReply(res: LightMyRequestResponse): Promise<ReplyView> {
  expect(res.statusCode, res.body).toBe(201);
  const body: { data: ReplyView } = res.json();
  return body.data;
}

export async function eventTypes(app: FastifyInstance, token: string, caseId: string): Promise<string[]> {
  const res = await app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  const body: { data: { events: { type: string }[] } } = res.json();
  return body.data.events.map((e) => e.type);
}
