import type { FastifyInstance } from 'fastify';
import { AppError, notFound } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { createChannel, listChannels, rotateChannelToken } from '../../../features/channels/index.ts';
import { inboundBatchSchema, inboundMessageSchema, ingestMessage } from '../../../features/ingest/index.ts';
import type { IngestOutcome } from '../../../features/ingest/index.ts';
import type { AppContext } from '../../app-context.ts';
import { ingestDepsOf } from '../../app-context.ts';
import { authenticate, bearerToken, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody, parseParams } from '../../validation.ts';
import { channelParamsSchema, createChannelSchema } from './channels.schema.ts';
import { createChannelTokenCache } from './channel-token.cache.ts';

export function registerChannelRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  const tokens = createChannelTokenCache();
  docs.add({
    method: 'post', path: '/api/v1/channels/:id/messages', tag: 'ingest', auth: 'channel-token', body: inboundBatchSchema,
    summary: 'Ingest one normalized message, or a batch as {"messages": [...]}; idempotent on the external id',
    responses: {
      200: 'stored (or already stored) — per-message outcome', 201: 'one message stored', 400: 'malformed JSON',
      401: 'missing or unknown channel token', 403: "the token belongs to another channel", 413: 'body over 1 MiB',
      422: 'invalid message', 503: 'database unavailable; retry — delivery is idempotent',
    },
  });
  app.post('/api/v1/channels/:id/messages', async (request, reply) => {
    const { id } = parseParams(channelParamsSchema, request.params);
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized', "send the channel's ingest token as a Bearer token");
    const channel = await tokens.lookup(ctx.db, token);
    if (!channel) throw new AppError('unauthorized', 'the channel token is unknown or was rotated');
    if (channel.id !== id) throw new AppError('forbidden', 'this token belongs to another channel');

    const body: unknown = request.body;
    const isBatch = typeof body === 'object' && body !== null && 'messages' in body;
    const messages = isBatch ? parseBody(inboundBatchSchema, body).messages : [parseBody(inboundMessageSchema, body)];
    const target = { workspaceId: channel.workspaceId, id: channel.id, kind: channel.kind, owned: channel.owned };
    const deps = ingestDepsOf(ctx);
    const outcomes: IngestOutcome[] = [];
    // In order, so a reply sent in the same batch as its parent finds it.
    for (const message of messages) {
      const outcome = await ingestMessage(deps, target, message);
      ctx.metrics.messagesIngested.inc({ channel_kind: channel.kind, status: outcome.status });
      outcomes.push(outcome);
    }
    if (isBatch) return reply.status(200).send({ data: outcomes });
    return reply.status(outcomes[0].status === 'created' ? 201 : 200).send({ data: outcomes[0] });
  });

  docs.add({
    method: 'get', path: '/api/v1/channels', tag: 'channels', auth: 'user',
    summary: "The workspace's channels with their health", responses: { 200: 'channels', 401: 'not signed in' },
  });
  app.get('/api/v1/channels', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await listChannels(ctx.db, principal.workspaceId) };
  });

  docs.add({
    method: 'post', path: '/api/v1/channels', tag: 'channels', auth: 'user', body: createChannelSchema,
    summary: 'Create a channel (admins); returns its ingest token once',
    responses: { 201: 'created', 401: 'not signed in', 403: 'not an admin', 422: 'invalid body' },
  });
  app.post('/api/v1/channels', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(createChannelSchema, request.body);
    const created = await createChannel(ctx.db, ctx.secretKey, { ...body, workspaceId: principal.workspaceId });
    return reply.status(201).send({ data: created });
  });

  docs.add({
    method: 'post', path: '/api/v1/channels/:id/token', tag: 'channels', auth: 'user',
    summary: "Rotate a channel's ingest token (admins); the old token stops working",
    responses: { 200: 'the new token', 401: 'not signed in', 403: 'not an admin', 404: 'no such channel' },
  });
  app.post('/api/v1/channels/:id/token', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const { id } = parseParams(channelParamsSchema, request.params);
    const token = isUuid(id) ? await rotateChannelToken(ctx.db, principal.workspaceId, id) : null;
    if (!token) throw notFound('channel');
    tokens.forgetChannel(id);
    return { data: { token } };
  });
}
