import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { AppError, isDatabaseUnavailable } from '../platform/errors.ts';
import type { AppContext } from './app-context.ts';
import { ApiDocs } from './openapi.ts';
import { registerSessionRoutes } from './routes/session/session.routes.ts';
import { registerChannelRoutes } from './routes/channels/channels.routes.ts';
import { registerCaseRoutes } from './routes/cases/cases.routes.ts';
import { registerTeamRoutes } from './routes/teams/teams.routes.ts';
import { registerSlaRoutes } from './routes/sla/sla.routes.ts';
import { registerEventRoutes } from './routes/events/events.routes.ts';
import { registerRuleRoutes } from './routes/rules/rules.routes.ts';
import { registerSystemRoutes } from './routes/system/system.routes.ts';
import { registerAdmissionControl } from './admission.ts';
import { registerKnowledgeRoutes } from './routes/knowledge/knowledge.routes.ts';
import { registerComposerRoutes } from './routes/composer/composer.routes.ts';
import { registerSocialWebhooks } from './webhooks/social.webhooks.ts';
import { registerCustomerRoutes } from './routes/customers/customers.routes.ts';
import { registerReportRoutes } from './routes/reports/reports.routes.ts';
import { registerCompetitorWatchRoutes } from './routes/competitor-watch/competitor-watch.routes.ts';
import { registerWebhookSubscriptionRoutes } from './routes/webhook-subscriptions/webhook-subscriptions.routes.ts';
import { registerReplyRoutes } from './routes/replies/replies.routes.ts';
import { registerTwilioWebhooks } from './webhooks/twilio.webhooks.ts';
import { registerCallRoutes } from './routes/calls/calls.routes.ts';
import { registerPublicFormRoutes } from './routes/public-forms/public-forms.routes.ts';
import { registerListeningRoutes } from './routes/listening/listening.routes.ts';
import { registerClassificationRoutes } from './routes/classification/classification.routes.ts';
import { registerAlertRoutes } from './routes/alerts/alerts.routes.ts';

export const bodyLimitBytes = 1024 * 1024;

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

// Fastify's own errors, mapped onto Parley's catalogue.
function fromFrameworkError(error: FastifyError): AppError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', `request body is larger than ${bodyLimitBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'the JSON body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', 'the body is not valid JSON');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.statusCode === 400) return new AppError('invalid_json', 'the body is not valid JSON');
  if (error.statusCode === 429) return new AppError('rate_limited', 'too many requests; slow down');
  if (error.statusCode === 413) return new AppError('payload_too_large', `request body is larger than ${bodyLimitBytes} bytes`);
  if (error.statusCode === 415) return new AppError('unsupported_media_type', 'send the body as application/json');
  return null;
}

/** Builds the HTTP app (API, webhooks, web app) on a ready context; it does not listen. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = ctx.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: bodyLimitBytes,
    // Request lines are left to /metrics; logs keep errors and lifecycle.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
  });
  const docs = new ApiDocs();
  // JSON only; a webhook that needs another format registers its own parser in its own scope.
  app.removeContentTypeParser('text/plain');

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: { code: 'rate_limited', message: `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s` },
    }),
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (reply.statusCode === 429 && 'error' in error) {
      return reply.status(429).send(error);
    }
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (isDatabaseUnavailable(error)) {
      appError = new AppError('unavailable', 'the database is unavailable; nothing was lost, retry the request');
      void reply.header('retry-after', '2');
    } else {
      appError = fromFrameworkError(error) ?? new AppError('internal', 'an unexpected error occurred');
      if (appError.code === 'internal') request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    }
    const body: { code: string; message: string; details?: unknown } = { code: appError.code, message: appError.message };
    if (appError.details) body.details = appError.details;
    return reply.status(appError.status).send({ error: body });
  });

  registerAdmissionControl(app, { limit: ctx.config.maxInFlight });
  registerSystemRoutes(app, ctx, docs);
  registerSessionRoutes(app, ctx, docs);
  registerChannelRoutes(app, ctx, docs);
  registerCaseRoutes(app, ctx, docs);
  registerTeamRoutes(app, ctx, docs);
  registerSlaRoutes(app, ctx, docs);
  registerEventRoutes(app, ctx, docs);
  registerRuleRoutes(app, ctx, docs);
  registerKnowledgeRoutes(app, ctx, docs);
  registerComposerRoutes(app, ctx, docs);
  registerSocialWebhooks(app, ctx, docs);
  registerCustomerRoutes(app, ctx, docs);
  registerReportRoutes(app, ctx, docs);
  registerCompetitorWatchRoutes(app, ctx, docs);
  registerWebhookSubscriptionRoutes(app, ctx, docs);
  registerReplyRoutes(app, ctx, docs);
  registerTwilioWebhooks(app, ctx, docs);
  registerCallRoutes(app, ctx, docs);
  registerPublicFormRoutes(app, ctx, docs);
  registerListeningRoutes(app, ctx, docs);
  registerClassificationRoutes(app, ctx, docs);
  registerAlertRoutes(app, ctx, docs);

  const hasWeb = fs.existsSync(path.join(webDistDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDistDir, prefix: '/', index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const apiPath = /^\/(api|webhooks|metrics|healthz|readyz)(\/|$)/.test(request.url);
    if (!apiPath && request.method === 'GET' && hasWeb) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` } });
  });

  return app;
}
