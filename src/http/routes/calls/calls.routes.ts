import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { completeCallback, listCallbacks, logCall, scheduleCallback } from '../../../features/callbacks/index.ts';
import type { AppContext } from '../../app-context.ts';
import { ingestDepsOf } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { callbackParamsSchema, completeCallbackSchema, logCallSchema, scheduleCallbackSchema } from './calls.schema.ts';

/** Phone work on a case: calls an agent logs by hand, and callbacks promised to the customer. */
export function registerCallRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'post', path: '/api/v1/cases/:id/calls', tag: 'phone', auth: 'user', body: logCallSchema,
    summary: "Log a phone call on a case: it becomes a message on the phone channel (inbound: the customer's contact; outbound: the brand's answer)",
    responses: { 201: 'the stored message and its case', 401: 'not signed in', 404: 'no such case', 422: 'invalid call, or no phone channel / number' },
  });
  app.post('/api/v1/cases/:id/calls', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'case');
    const body = parseBody(logCallSchema, request.body);
    const outcome = await logCall(ingestDepsOf(ctx), principal, id, { ...body, phone: body.phone ?? null });
    ctx.metrics.messagesIngested.inc({ channel_kind: 'phone', status: outcome.status });
    return reply.status(201).send({ data: outcome });
  });

  docs.add({
    method: 'get', path: '/api/v1/cases/:id/callbacks', tag: 'phone', auth: 'user',
    summary: "A case's callbacks, soonest first", responses: { 200: 'callbacks', 401: 'not signed in', 404: 'no such case' },
  });
  app.get('/api/v1/cases/:id/callbacks', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await listCallbacks(ctx.db, principal, idParamOf(request.params, 'case')) };
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/callbacks', tag: 'phone', auth: 'user', body: scheduleCallbackSchema,
    summary: 'Schedule a callback; when it falls due the case is back in the queue with the callback time as its deadline',
    responses: { 201: 'the callback', 401: 'not signed in', 404: 'no such case', 422: 'invalid time or number' },
  });
  app.post('/api/v1/cases/:id/callbacks', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'case');
    const body = parseBody(scheduleCallbackSchema, request.body);
    const callback = await scheduleCallback(
      ctx.db, principal, id, { dueAt: new Date(body.dueAt), phone: body.phone ?? null, note: body.note ?? null }, ctx.clock.now(), ctx.notifier,
    );
    return reply.status(201).send({ data: callback });
  });

  docs.add({
    method: 'patch', path: '/api/v1/cases/:id/callbacks/:callbackId', tag: 'phone', auth: 'user', body: completeCallbackSchema,
    summary: 'Complete a callback with its outcome (or cancel it with outcome "canceled")',
    responses: { 200: 'the callback', 401: 'not signed in', 404: 'no such case or callback', 409: 'already completed', 422: 'invalid outcome' },
  });
  app.patch('/api/v1/cases/:id/callbacks/:callbackId', async (request) => {
    const principal = await authenticate(ctx, request);
    const { id, callbackId } = parseParams(callbackParamsSchema, request.params);
    if (!isUuid(id)) throw notFound('case');
    if (!isUuid(callbackId)) throw notFound('callback');
    const body = parseBody(completeCallbackSchema, request.body);
    return {
      data: await completeCallback(ctx.db, principal, id, callbackId, { outcome: body.outcome, note: body.note ?? null }, ctx.clock.now(), ctx.notifier),
    };
  });
}
