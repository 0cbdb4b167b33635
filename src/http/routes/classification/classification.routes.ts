import type { FastifyInstance } from 'fastify';
import { correctLabels, exportCorrections } from '../../../features/cases/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { correctionsExportQuerySchema, labelCorrectionSchema } from './classification.schema.ts';

/** Agents' label corrections: recorded on the case, exported as the feedback file `parley train` reads. */
export function registerClassificationRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'post', path: '/api/v1/messages/:id/corrections', tag: 'classification', auth: 'user', body: labelCorrectionSchema,
    summary: "Correct a message's labels (complaint, sentiment, intent, topics); kept as an event beside the model's labels",
    responses: { 201: 'the correction', 401: 'not signed in', 404: 'no such inbound message', 422: 'no label given, or the message was never classified' },
  });
  app.post('/api/v1/messages/:id/corrections', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'message');
    const body = parseBody(labelCorrectionSchema, request.body);
    const correction = await correctLabels(ctx.db, principal, id, body, ctx.clock.now());
    ctx.notifier.notify(principal.workspaceId);
    return reply.status(201).send({ data: correction });
  });

  docs.add({
    method: 'get', path: '/api/v1/label-corrections', tag: 'classification', auth: 'user', query: correctionsExportQuerySchema,
    summary: 'The label corrections as JSONL for `parley train --with-feedback` (supervisors)',
    responses: { 200: 'one correction per line', 400: 'bad limit', 401: 'not signed in', 403: 'role too low' },
  });
  app.get('/api/v1/label-corrections', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const { limit } = parseParams(correctionsExportQuerySchema, request.query);
    return reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="corrections.jsonl"')
      .send(await exportCorrections(ctx.db, principal.workspaceId, limit));
  });
}
