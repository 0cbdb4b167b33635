import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';

/**
 * Load shedding. Past its capacity an HTTP server that accepts everything queues each request behind the database
 * pool until the client gives up, keeps working on requests nobody waits for, and its throughput collapses (bench:load
 * at 1,000 messages/s offered: 342 of 60,000 accepted before this existed). So requests in flight are counted, and
 * past a limit a new one is answered at once with 503 `overloaded` and `Retry-After`, before its body is read:
 * nothing is written, so a retry is safe, and what is admitted finishes in time.
 *
 * Machine traffic (ingest through the API and the platforms' webhooks) is shed first, at `limit`; people's requests
 * (the desk, the API) only at twice that, so agents keep working while a flood is turned away. Long-lived event
 * streams, health checks and metrics are not counted.
 */
export interface AdmissionOptions {
  /** Machine requests in flight before shedding them; people's requests are shed at twice this. */
  limit: number;
  /** Seconds a shed client is asked to wait. */
  retryAfterSeconds?: number;
}

const uncounted = new Set(['/api/v1/events', '/healthz', '/readyz', '/metrics']);

function isMachineWrite(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  return request.method === 'POST' && (route.startsWith('/webhooks/') || route === '/api/v1/channels/:id/messages' || route === '/api/v1/channels/:id/engagement');
}

export function registerAdmissionControl(app: FastifyInstance, options: AdmissionOptions): { inFlight(): number } {
  let inFlight = 0;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || uncounted.has(route) || !(route.startsWith('/api/') || route.startsWith('/webhooks/'))) return;
    const limit = isMachineWrite(request) ? options.limit : options.limit * 2;
    if (inFlight >= limit) {
      reply.header('retry-after', retryAfter);
      throw new AppError('overloaded', `Parley is at capacity; nothing was written, retry in ${retryAfter} s`);
    }
    inFlight += 1;
    // 'close' fires once whether the answer was sent or the client went away.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
  return { inFlight: () => inFlight };
}
