import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import {
  checkFormToken, countLinks, honeypotField, issueFormToken, mapFormSubmission, webformConfigOf,
} from '../../../features/channels/index.ts';
import { ingestMessage } from '../../../features/ingest/index.ts';
import type { AppContext } from '../../app-context.ts';
import { ingestDepsOf } from '../../app-context.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody, parseParams } from '../../validation.ts';
import { loadWebhookChannel } from '../../webhooks/webhook-channel.ts';
import { formParamsSchema, formSubmissionSchema } from './public-forms.schema.ts';
import { registerPrivateConversationRoutes } from './private-conversation.routes.ts';

const path = '/api/v1/public/forms/:channelId';
/** A contact form is a few KB; anything bigger is not a person typing. */
const formBodyLimit = 64 * 1024;
const submitLimit = { max: 5, timeWindow: 60_000 };
const tokenLimit = { max: 30, timeWindow: 60_000 };

/** Per client address and form, so one busy form does not lock people out of another. */
function rateKey(request: FastifyRequest): string {
  const params = request.params;
  const channelId = typeof params === 'object' && params !== null && 'channelId' in params ? String(params.channelId) : '';
  return `${request.ip}:${channelId.slice(0, 64)}`;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/**
 * The public web form: no sign-in, rate limited per client address, a signed fill-time token, a honeypot field, and
 * link and size limits. Accepts JSON or a plain HTML form post (form encoding is registered in this scope only).
 */
export function registerPublicFormRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path, tag: 'web form', auth: 'none',
    summary: 'Start filling a web form: a signed token to send back with the submission, and the form limits',
    responses: { 200: 'token and limits', 404: 'no such web form', 429: 'too many requests' },
  });
  docs.add({
    method: 'post', path, tag: 'web form', auth: 'none', body: formSubmissionSchema,
    summary: 'Submit a web form (JSON or form-encoded): it becomes a private message from the email address given',
    responses: {
      201: 'received', 404: 'no such web form', 413: 'body too large', 415: 'not JSON or a form post',
      422: 'a field is invalid (the details name it), the token is invalid or expired, or it came too fast', 429: 'too many submissions',
    },
  });

  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: formBodyLimit }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
    });

    scope.get(path, { config: { rateLimit: { ...tokenLimit, keyGenerator: rateKey } } }, async (request) => {
      const { channelId } = parseParams(formParamsSchema, request.params);
      const { channel } = await loadWebhookChannel(ctx, channelId, 'webform');
      const config = webformConfigOf(channel.config);
      return {
        data: {
          token: issueFormToken(ctx.secretKey, channel.id, ctx.clock.now()),
          minFillSeconds: config.minFillSeconds,
          expiresInSeconds: config.maxAgeHours * 3600,
          maxLength: config.maxLength,
          maxLinks: config.maxLinks,
          honeypotField,
        },
      };
    });

    scope.post(path, { bodyLimit: formBodyLimit, config: { rateLimit: { ...submitLimit, keyGenerator: rateKey } } }, async (request, reply) => {
      const { channelId } = parseParams(formParamsSchema, request.params);
      const { channel } = await loadWebhookChannel(ctx, channelId, 'webform');
      const config = webformConfigOf(channel.config);
      const form = parseBody(formSubmissionSchema, request.body);
      const now = ctx.clock.now();
      const check = checkFormToken(ctx.secretKey, channel.id, form.token, now, {
        minFillMs: config.minFillSeconds * 1000, maxAgeMs: config.maxAgeHours * 3_600_000,
      });
      if (!check.ok) {
        switch (check.reason) {
          case 'invalid':
            throw invalid('token', 'the form token is invalid; reload the form');
          case 'too_fast':
            throw invalid('token', 'the form was sent too quickly; wait a moment and send it again');
          case 'expired':
            throw invalid('token', 'the form has expired; reload it');
          default: {
            const unreachable: never = check.reason;
            throw new Error(`unknown token check ${String(unreachable)}`);
          }
        }
      }
      if (form.message.length > config.maxLength) throw invalid('message', `the message is longer than ${config.maxLength} characters`);
      const links = countLinks(`${form.subject ?? ''} ${form.message}`);
      if (links > config.maxLinks) throw invalid('message', `the message has ${links} links; at most ${config.maxLinks} are allowed`);
      // A filled honeypot gets the same answer as a real submission, so a bot learns nothing; nothing is stored.
      if (form.website && form.website.trim().length > 0) {
        request.log.info({ channelId: channel.id }, 'web form honeypot filled; submission dropped');
        return reply.status(201).send({ data: { status: 'received' } });
      }
      const message = mapFormSubmission(form, now);
      if (!message) throw invalid('message', 'the message cannot be stored');
      const target = { workspaceId: channel.workspaceId, id: channel.id, kind: channel.kind, owned: channel.owned };
      const outcome = await ingestMessage(ingestDepsOf(ctx), target, message);
      ctx.metrics.messagesIngested.inc({ channel_kind: channel.kind, status: outcome.status });
      return reply.status(201).send({ data: { status: 'received' } });
    });
  });

  // Secure links to private conversations (move-private where DMs are closed) are web-form conversations too.
  registerPrivateConversationRoutes(app, ctx, docs);
}
