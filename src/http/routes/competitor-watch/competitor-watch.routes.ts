import type { FastifyInstance } from 'fastify';
import {
  addCompetitorAccount,
  getChurnSignals,
  getCompetitorAccounts,
  getOpportunities,
  getOptOuts,
  recordOptOut,
  removeCompetitorAccount,
  removeOptOut,
  requestOutreach,
} from '../../../features/competitor-watch/index.ts';
import { resolvePeriod } from '../../../features/insights/index.ts';
import { createReply, rejectReply } from '../../../features/replies/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { churnRisksQuerySchema, competitorAccountSchema, opportunitiesQuerySchema, optOutSchema, outreachSchema } from './competitor-watch.schema.ts';

const base = '/api/v1/competitor-watch';

export function registerCompetitorWatchRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  const replyDeps = () => ({ db: ctx.db, clock: ctx.clock, notifier: ctx.notifier });

  docs.add({
    method: 'get', path: `${base}/opportunities`, tag: 'competitor-watch', auth: 'user', query: opportunitiesQuerySchema,
    summary:
      "Competitors' unhappy customers: complaints that matched a rule tagged competitor, newest first, leaving out anyone who " +
      'opted out and competitors\' own accounts; each with the state of any offer made',
    responses: { 200: 'opportunities and the next cursor', 400: 'bad period or cursor', 401: 'not signed in' },
  });
  app.get(`${base}/opportunities`, async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(opportunitiesQuerySchema, request.query);
    const period = resolvePeriod(query, ctx.clock.now());
    return { data: await getOpportunities(ctx.db, principal, { ...period, limit: query.limit, cursor: query.cursor }) };
  });

  docs.add({
    method: 'post', path: `${base}/opportunities/:id/outreach`, tag: 'competitor-watch', auth: 'user', body: outreachSchema,
    summary:
      'Propose an offer to the author of an opportunity (:id is the post\'s message id). Never sent automatically: the reply is ' +
      'always held for a supervisor (POST /api/v1/replies/:id/approve), whoever writes it',
    responses: {
      201: 'the held reply', 401: 'not signed in', 404: 'no such opportunity', 409: 'the customer opted out, or an offer is already pending or sent',
      422: 'the reply breaks a composer rule',
    },
  });
  app.post(`${base}/opportunities/:id/outreach`, async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const messageId = idParamOf(request.params, 'opportunity');
    const body = parseBody(outreachSchema, request.body);
    const held = await requestOutreach({ ...replyDeps(), createReply }, principal, messageId, body);
    return reply.status(201).send({ data: held });
  });

  docs.add({
    method: 'get', path: `${base}/opt-outs`, tag: 'competitor-watch', auth: 'user',
    summary: 'Customers and handles that asked never to be approached with offers',
    responses: { 200: 'opt-outs', 401: 'not signed in' },
  });
  app.get(`${base}/opt-outs`, async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getOptOuts(ctx.db, principal) };
  });

  docs.add({
    method: 'post', path: `${base}/opt-outs`, tag: 'competitor-watch', auth: 'user', body: optOutSchema,
    summary:
      'Record an opt-out ({customerId} or {platform, handle}); offers to them waiting for approval are rejected at once (any signed-in user)',
    responses: { 201: 'the opt-out and the offers withdrawn', 401: 'not signed in', 409: 'already opted out', 422: 'unknown customer or bad body' },
  });
  app.post(`${base}/opt-outs`, async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const body = parseBody(optOutSchema, request.body);
    return reply.status(201).send({ data: await recordOptOut({ ...replyDeps(), rejectReply }, principal, body) });
  });

  docs.add({
    method: 'delete', path: `${base}/opt-outs/:id`, tag: 'competitor-watch', auth: 'user',
    summary: 'Remove an opt-out recorded by mistake (admins)',
    responses: { 204: 'removed', 401: 'not signed in', 403: 'admins only', 404: 'no such opt-out' },
  });
  app.delete(`${base}/opt-outs/:id`, async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    await removeOptOut(ctx.db, principal, idParamOf(request.params, 'opt-out'));
    return reply.status(204).send();
  });

  docs.add({
    method: 'get', path: `${base}/accounts`, tag: 'competitor-watch', auth: 'user',
    summary: "Competitors' official accounts per platform, whose replies to our customers raise churn-risk events (supervisors)",
    responses: { 200: 'accounts', 401: 'not signed in', 403: 'supervisors and admins only' },
  });
  app.get(`${base}/accounts`, async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    return { data: await getCompetitorAccounts(ctx.db, principal) };
  });

  docs.add({
    method: 'post', path: `${base}/accounts`, tag: 'competitor-watch', auth: 'user', body: competitorAccountSchema,
    summary: "Add a competitor's official account on a platform (admins)",
    responses: { 201: 'the account', 401: 'not signed in', 403: 'admins only', 409: 'handle already configured', 422: 'bad body' },
  });
  app.post(`${base}/accounts`, async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(competitorAccountSchema, request.body);
    return reply.status(201).send({ data: await addCompetitorAccount(ctx.db, principal, body) });
  });

  docs.add({
    method: 'delete', path: `${base}/accounts/:id`, tag: 'competitor-watch', auth: 'user',
    summary: "Remove a competitor account (admins); churn risks it raised stay on record",
    responses: { 204: 'removed', 401: 'not signed in', 403: 'admins only', 404: 'no such account' },
  });
  app.delete(`${base}/accounts/:id`, async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    await removeCompetitorAccount(ctx.db, principal, idParamOf(request.params, 'competitor account'));
    return reply.status(204).send();
  });

  docs.add({
    method: 'get', path: `${base}/churn-risks`, tag: 'competitor-watch', auth: 'user', query: churnRisksQuerySchema,
    summary: "Competitors' official accounts answering our customers (poaching), newest first, with the case flagged",
    responses: { 200: 'churn risks', 400: 'bad period', 401: 'not signed in' },
  });
  app.get(`${base}/churn-risks`, async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(churnRisksQuerySchema, request.query);
    const period = resolvePeriod(query, ctx.clock.now());
    return { data: await getChurnSignals(ctx.db, principal, { ...period, limit: query.limit }) };
  });
}
