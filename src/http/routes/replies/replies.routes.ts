import type { FastifyInstance } from 'fastify';
import {
  approveReply,
  confirmReply,
  createReply,
  createReplyThread,
  editHeldReply,
  getApprovalSettings,
  getCaseReplies,
  getRepliesByStatus,
  getReply,
  moveToPrivate,
  putApprovalSettings,
  rejectReply,
} from '../../../features/replies/index.ts';
import type { MovePrivateDeps, ReplyDeps } from '../../../features/replies/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import {
  approvalSettingsSchema,
  approveReplySchema,
  confirmReplySchema,
  createReplySchema,
  editReplySchema,
  listRepliesQuerySchema,
  movePrivateSchema,
  rejectReplySchema,
} from './replies.schema.ts';

export function registerReplyRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  const deps: ReplyDeps = { db: ctx.db, clock: ctx.clock, notifier: ctx.notifier };
  const moveDeps: MovePrivateDeps = { ...deps, secretKey: ctx.secretKey, publicUrl: ctx.config.publicUrl };

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/replies', tag: 'replies', auth: 'user', body: createReplySchema,
    summary: 'Reply to the customer: queued for delivery through the outbox, held for a supervisor when an approval rule applies, or left for the agent to post (blogs, forums). With split: true, a long public reply on X, Bluesky or Mastodon becomes a numbered thread of chained posts, each part a reply of its own',
    responses: {
      201: 'the reply; with split: true, {threadId, parts} (every part, in order)', 401: 'not signed in', 404: 'no such case',
      422: 'invalid reply (no text, foreign channel or message, no private channel, outside Messenger\'s window, a thread where the channel cannot chain posts or the reply is private, over 25 parts)',
    },
  });
  app.post('/api/v1/cases/:id/replies', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const caseId = idParamOf(request.params, 'case');
    const body = parseBody(createReplySchema, request.body);
    if (body.split) return reply.status(201).send({ data: await createReplyThread(deps, principal, caseId, body) });
    return reply.status(201).send({ data: await createReply(deps, principal, caseId, body) });
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/move-private', tag: 'replies', auth: 'user', body: movePrivateSchema,
    summary: "Public to private in one action: a short public acknowledgement, and the conversation carried on privately — the platform's DMs (X, Mastodon, Messenger), else an email to the customer's known address, else a secure link in the acknowledgement to a private web-form conversation about the case",
    responses: {
      201: '{route, public, private, link}', 401: 'not signed in', 404: 'no such case',
      422: 'no private route possible (the reasons are listed), already private, personal data where the public can see it, or a draft breaks a composer rule',
    },
  });
  app.post('/api/v1/cases/:id/move-private', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const caseId = idParamOf(request.params, 'case');
    const body = parseBody(movePrivateSchema, request.body);
    return reply.status(201).send({ data: await moveToPrivate(moveDeps, principal, caseId, body) });
  });

  docs.add({
    method: 'get', path: '/api/v1/cases/:id/replies', tag: 'replies', auth: 'user',
    summary: "The case's replies and where each stands: held, queued, sending, sent (platform id and link), failed (the platform's reason) or unknown",
    responses: { 200: 'the replies, oldest first', 401: 'not signed in', 404: 'no such case' },
  });
  app.get('/api/v1/cases/:id/replies', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getCaseReplies(ctx.db, principal, idParamOf(request.params, 'case')) };
  });

  docs.add({
    method: 'get', path: '/api/v1/replies', tag: 'replies', auth: 'user', query: listRepliesQuerySchema,
    summary: 'Replies in the given states (default: held — the approval queue), oldest first',
    responses: { 200: 'the replies', 400: 'bad status or limit', 401: 'not signed in' },
  });
  app.get('/api/v1/replies', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(listRepliesQuerySchema, request.query);
    return { data: await getRepliesByStatus(ctx.db, principal, query.status, query.limit) };
  });

  docs.add({
    method: 'get', path: '/api/v1/replies/:id', tag: 'replies', auth: 'user',
    summary: 'One reply', responses: { 200: 'the reply', 401: 'not signed in', 404: 'no such reply' },
  });
  app.get('/api/v1/replies/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getReply(ctx.db, principal, idParamOf(request.params, 'reply')) };
  });

  docs.add({
    method: 'patch', path: '/api/v1/replies/:id', tag: 'replies', auth: 'user', body: editReplySchema,
    summary: 'Edit a held reply (a supervisor, or the agent who wrote it); it stays held; an event records the change',
    responses: { 200: 'the reply', 401: 'not signed in', 403: "another agent's reply", 404: 'no such reply', 409: 'not held', 422: 'invalid text' },
  });
  app.patch('/api/v1/replies/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'reply');
    const body = parseBody(editReplySchema, request.body);
    return { data: await editHeldReply(deps, principal, id, body.text) };
  });

  docs.add({
    method: 'post', path: '/api/v1/replies/:id/approve', tag: 'replies', auth: 'user', body: approveReplySchema,
    summary: 'Approve a held reply (supervisors): it enters the outbox in the same transaction',
    responses: { 200: 'the reply, now queued', 401: 'not signed in', 403: 'not a supervisor', 404: 'no such reply', 409: 'not held', 422: 'invalid body' },
  });
  app.post('/api/v1/replies/:id/approve', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'reply');
    const body = parseBody(approveReplySchema, request.body ?? {});
    return { data: await approveReply(deps, principal, id, body.note ?? null) };
  });

  docs.add({
    method: 'post', path: '/api/v1/replies/:id/reject', tag: 'replies', auth: 'user', body: rejectReplySchema,
    summary: 'Reject a held reply with a reason (supervisors); it is never sent',
    responses: { 200: 'the reply, now rejected', 401: 'not signed in', 403: 'not a supervisor', 404: 'no such reply', 409: 'not held', 422: 'no reason' },
  });
  app.post('/api/v1/replies/:id/reject', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'reply');
    const body = parseBody(rejectReplySchema, request.body);
    return { data: await rejectReply(deps, principal, id, body.reason) };
  });

  docs.add({
    method: 'post', path: '/api/v1/replies/:id/confirm', tag: 'replies', auth: 'user', body: confirmReplySchema,
    summary: 'Settle a reply Parley could not: one posted by hand on a blog or forum (with its link), or one of unknown fate after an interrupted attempt',
    responses: { 200: 'the reply, now sent or failed', 401: 'not signed in', 404: 'no such reply', 409: 'not awaiting the agent', 422: 'invalid body or missing link' },
  });
  app.post('/api/v1/replies/:id/confirm', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'reply');
    const body = parseBody(confirmReplySchema, request.body);
    return { data: await confirmReply(deps, principal, id, body) };
  });

  docs.add({
    method: 'get', path: '/api/v1/settings/reply-approvals', tag: 'replies', auth: 'user',
    summary: 'The approval rules: the follower threshold for high-reach authors and extra legal terms',
    responses: { 200: 'the settings', 401: 'not signed in' },
  });
  app.get('/api/v1/settings/reply-approvals', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getApprovalSettings(ctx.db, principal) };
  });

  docs.add({
    method: 'put', path: '/api/v1/settings/reply-approvals', tag: 'replies', auth: 'user', body: approvalSettingsSchema,
    summary: 'Change the approval rules (admins)',
    responses: { 200: 'the settings', 401: 'not signed in', 403: 'not an admin', 422: 'invalid settings' },
  });
  app.put('/api/v1/settings/reply-approvals', async (request) => {
    const principal = await authenticate(ctx, request);
    const body = parseBody(approvalSettingsSchema, request.body);
    return { data: await putApprovalSettings(ctx.db, principal, body) };
  });
}
