import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { ApiDocs } from '../../openapi.ts';

export function registerSystemRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.db.query('SELECT 1');
      return { status: 'ready', database: ctx.db.kind };
    } catch {
      return reply.status(503).send({ error: { code: 'unavailable', message: 'the database is not reachable' } });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(body);
  });

  app.get('/api/v1/openapi.json', async () => docs.toOpenApi());
}
