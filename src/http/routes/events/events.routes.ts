import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { latestEventSeq, listEventsAfter } from '../../../features/events/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseParams } from '../../validation.ts';

const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();

// Events committed by other processes are found by this periodic read; this process's own wake listeners at once.
const pollMs = 1_000;
const heartbeatMs = 15_000;

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/events', tag: 'events', auth: 'user', query: eventsQuerySchema,
    summary: 'Live case events as server-sent events; resumes after Last-Event-ID (or ?after=seq)',
    responses: { 200: 'an event stream', 401: 'not signed in' },
  });
  app.get('/api/v1/events', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(eventsQuerySchema, request.query);
    const lastEventId = Number(request.headers['last-event-id']);
    let after = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : query.after;
    after ??= await latestEventSeq(ctx.db, principal.workspaceId);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected at seq ${after}\n\n`);

    let closed = false;
    let wake: (() => void) | undefined;
    const unsubscribe = ctx.notifier.subscribe(principal.workspaceId, () => wake?.());
    request.raw.on('close', () => {
      closed = true;
      wake?.();
    });
    let lastWrite = Date.now();
    while (!closed) {
      try {
        const events = await listEventsAfter(ctx.db, principal.workspaceId, after);
        for (const event of events) {
          res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          after = event.seq;
          lastWrite = Date.now();
        }
        if (events.length > 0) continue;
      } catch (error) {
        ctx.logger.warn({ err: error }, 'event stream read failed; retrying');
      }
      if (Date.now() - lastWrite >= heartbeatMs) {
        res.write(': heartbeat\n\n');
        lastWrite = Date.now();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    unsubscribe();
    res.end();
  });
}
