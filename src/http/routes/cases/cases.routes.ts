import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { addNote, escalateCase, getCaseDetail, getQueue, lockCase, patchCase, takeNextCase, unlockCase } from '../../../features/cases/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { escalateSchema, noteSchema, patchCaseSchema, queueQuerySchema } from './cases.schema.ts';

export function registerCaseRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/queue', tag: 'cases', auth: 'user', query: queueQuerySchema,
    summary: 'Open cases in the fair order: priority (need), then response deadline, then arrival',
    responses: { 200: 'a page of cases and the next cursor', 400: 'bad filter or cursor', 401: 'not signed in' },
  });
  app.get('/api/v1/queue', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(queueQuerySchema, request.query);
    let assigneeId: string | null | undefined;
    if (query.assignee === 'me') assigneeId = principal.userId;
    else if (query.assignee === 'none') assigneeId = null;
    else if (query.assignee !== undefined) {
      if (!isUuid(query.assignee)) throw new AppError('bad_request', 'assignee must be a user id, "me" or "none"');
      assigneeId = query.assignee;
    }
    let teamId: string | null | undefined;
    if (query.team === 'none') teamId = null;
    else if (query.team !== undefined) {
      if (!isUuid(query.team)) throw new AppError('bad_request', 'team must be a team id or "none"');
      teamId = query.team;
    }
    const page = await getQueue(ctx.db, principal, {
      statuses: query.status,
      channelKind: query.channel,
      assigneeId,
      topic: query.topic,
      teamId,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { data: page.cases, nextCursor: page.nextCursor };
  });

  docs.add({
    method: 'get', path: '/api/v1/cases/:id', tag: 'cases', auth: 'user',
    summary: "A case with the customer's whole timeline across channels, notes and events",
    responses: { 200: 'the case', 401: 'not signed in', 404: 'no such case in this workspace' },
  });
  app.get('/api/v1/cases/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getCaseDetail(ctx.db, principal, idParamOf(request.params, 'case')) };
  });

  docs.add({
    method: 'patch', path: '/api/v1/cases/:id', tag: 'cases', auth: 'user', body: patchCaseSchema,
    summary: 'Change status or assignee, or override priority with a reason (supervisors); each change is an event',
    responses: { 200: 'the updated case', 401: 'not signed in', 403: 'role too low', 404: 'no such case', 422: 'invalid change' },
  });
  app.patch('/api/v1/cases/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'case');
    const body = parseBody(patchCaseSchema, request.body);
    return { data: await patchCase(ctx.db, principal, id, body, ctx.clock.now()) };
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/notes', tag: 'cases', auth: 'user', body: noteSchema,
    summary: 'Add an internal note to a case', responses: { 201: 'the note', 401: 'not signed in', 404: 'no such case', 422: 'invalid body' },
  });
  app.post('/api/v1/cases/:id/notes', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'case');
    const body = parseBody(noteSchema, request.body);
    return reply.status(201).send({ data: await addNote(ctx.db, principal, id, body.body) });
  });
  docs.add({
    method: 'post', path: '/api/v1/queue/next', tag: 'cases', auth: 'user',
    summary: 'Take next: assigns the caller the head of the fair order among cases routed to their teams (or to no team) and locks it for them',
    responses: { 200: 'the case, or null when there is nothing to take', 401: 'not signed in' },
  });
  app.post('/api/v1/queue/next', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await takeNextCase(ctx.db, principal, ctx.clock.now()) };
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/lock', tag: 'cases', auth: 'user',
    summary: 'Take or renew a short lease on a case while answering it',
    responses: { 200: 'the lock and when it expires', 401: 'not signed in', 404: 'no such case', 409: 'another agent holds it (named in details)' },
  });
  app.post('/api/v1/cases/:id/lock', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await lockCase(ctx.db, principal, idParamOf(request.params, 'case'), ctx.clock.now()) };
  });

  docs.add({
    method: 'delete', path: '/api/v1/cases/:id/lock', tag: 'cases', auth: 'user',
    summary: "Release the caller's lease (supervisors may release anyone's)",
    responses: { 204: 'released', 401: 'not signed in', 404: 'no such case', 409: 'another agent holds it' },
  });
  app.delete('/api/v1/cases/:id/lock', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    await unlockCase(ctx.db, principal, idParamOf(request.params, 'case'), ctx.clock.now());
    return reply.status(204).send();
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/escalate', tag: 'cases', auth: 'user', body: escalateSchema,
    summary: "Escalate a case up the ladder (to the next tier unless one is given); starts the tier's SLA clocks and notifies it",
    responses: { 200: 'the escalated case', 401: 'not signed in', 404: 'no such case', 409: 'already at or above that tier, or resolved', 422: 'invalid body or no such tier' },
  });
  app.post('/api/v1/cases/:id/escalate', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'case');
    const body = parseBody(escalateSchema, request.body);
    return { data: await escalateCase(ctx.db, principal, id, body, ctx.clock.now()) };
  });
}
