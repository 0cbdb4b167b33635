import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { checkFormToken, countLinks, honeypotField, issueFormToken, mapPrivateLinkSubmission } from '../../../features/channels/index.ts';
import { ingestMessage } from '../../../features/ingest/index.ts';
import { openPrivateLink, recordPrivateLinkReply } from '../../../features/replies/index.ts';
import type { PrivateConversation } from '../../../features/replies/index.ts';
import type { AppContext } from '../../app-context.ts';
import { ingestDepsOf } from '../../app-context.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody, parseParams } from '../../validation.ts';
import { privateConversationParamsSchema, privateMessageSchema } from './private-conversation.schema.ts';
import type { PrivateMessageBody } from './private-conversation.schema.ts';
import { renderConversationPage, renderGonePage, renderReceivedPage } from './private-conversation.page.ts';

const apiPath = '/api/v1/public/conversations/:token';
/** The short address posted in public (docs/REPLIES.md, "Where DMs are closed"). */
const pagePath = '/p/:token';
const bodyLimit = 64 * 1024;
const submitLimit = { max: 5, timeWindow: 60_000 };
const viewLimit = { max: 30, timeWindow: 60_000 };

function rateKey(request: FastifyRequest): string {
  const params = request.params;
  const token = typeof params === 'object' && params !== null && 'token' in params ? String(params.token) : '';
  return `${request.ip}:${token.slice(0, 64)}`;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/** The fill-time token of the page, bound to the link rather than to the form channel. */
const formScope = (conversation: PrivateConversation) => `private-link:${conversation.linkId}`;

async function openFromRequest(ctx: AppContext, request: FastifyRequest): Promise<PrivateConversation> {
  const { token } = parseParams(privateConversationParamsSchema, request.params);
  return openPrivateLink(ctx.db, ctx.secretKey, token, ctx.clock.now());
}

function startOf(ctx: AppContext, conversation: PrivateConversation) {
  const config = conversation.channel.config;
  return {
    introduction: conversation.introduction,
    brand: conversation.channel.name,
    expiresAt: conversation.expiresAt.toISOString(),
    formToken: issueFormToken(ctx.secretKey, formScope(conversation), ctx.clock.now()),
    minFillSeconds: config.minFillSeconds,
    maxLength: config.maxLength,
    maxLinks: config.maxLinks,
    honeypotField,
  };
}

/**
 * Takes the customer's message: the fill-time token, the form's limits and honeypot, then the one ingest pipeline,
 * filed under the link's case whatever the threading would say. Always an owned channel: the brand asked for it.
 */
async function submit(ctx: AppContext, request: FastifyRequest, conversation: PrivateConversation, form: PrivateMessageBody): Promise<void> {
  const now = ctx.clock.now();
  const config = conversation.channel.config;
  const check = checkFormToken(ctx.secretKey, formScope(conversation), form.token, now, {
    minFillMs: config.minFillSeconds * 1000,
    maxAgeMs: config.maxAgeHours * 3_600_000,
  });
  if (!check.ok) {
    switch (check.reason) {
      case 'invalid':
        throw invalid('token', 'the form token is invalid; reload the page');
      case 'too_fast':
        throw invalid('token', 'the form was sent too quickly; wait a moment and send it again');
      case 'expired':
        throw invalid('token', 'the form has expired; reload the page');
      default: {
        const unreachable: never = check.reason;
        throw new Error(`unknown token check ${String(unreachable)}`);
      }
    }
  }
  if (form.message.length > config.maxLength) throw invalid('message', `the message is longer than ${config.maxLength} characters`);
  const links = countLinks(form.message);
  if (links > config.maxLinks) throw invalid('message', `the message has ${links} links; at most ${config.maxLinks} are allowed`);
  if (form.website && form.website.trim().length > 0) {
    request.log.info({ linkId: conversation.linkId }, 'private link honeypot filled; submission dropped');
    return;
  }
  const message = mapPrivateLinkSubmission(form, conversation.linkId, now);
  if (!message) throw invalid('message', 'the message cannot be stored');
  const channel = { workspaceId: conversation.workspaceId, id: conversation.channel.id, kind: 'webform', owned: true };
  const outcome = await ingestMessage(ingestDepsOf(ctx), channel, message, { caseId: conversation.caseId });
  ctx.metrics.messagesIngested.inc({ channel_kind: 'webform', status: outcome.status });
  if (outcome.status === 'created' && outcome.messageId) await recordPrivateLinkReply(ctx.db, conversation, outcome.messageId, now);
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/**
 * A secure link to a private conversation about one case (move-private where DMs are closed): no sign-in, the
 * token in the address is the key. A JSON API for pages a brand builds itself, and a plain HTML page at the short
 * address that is posted in public. Rate limited per client address and link, with the web form's protections.
 */
export function registerPrivateConversationRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: apiPath, tag: 'web form', auth: 'none',
    summary: "Open a private conversation from its secure link: the brand's private message, a form token and the limits",
    responses: { 200: 'the conversation', 404: 'no such link, or it has expired', 429: 'too many requests' },
  });
  docs.add({
    method: 'post', path: apiPath, tag: 'web form', auth: 'none', body: privateMessageSchema,
    summary: "Write privately through a secure link (JSON or form-encoded): filed on the link's case, answered by email",
    responses: {
      201: 'received', 404: 'no such link, or it has expired', 413: 'body too large', 415: 'not JSON or a form post',
      422: 'a field is invalid (the details name it), the form token is invalid or expired, or it came too fast', 429: 'too many submissions',
    },
  });

  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
    });

    scope.get(apiPath, { config: { rateLimit: { ...viewLimit, keyGenerator: rateKey } } }, async (request, reply) => {
      const conversation = await openFromRequest(ctx, request);
      return reply.header('cache-control', 'no-store').send({ data: startOf(ctx, conversation) });
    });

    scope.post(apiPath, { bodyLimit, config: { rateLimit: { ...submitLimit, keyGenerator: rateKey } } }, async (request, reply) => {
      const conversation = await openFromRequest(ctx, request);
      const form = parseBody(privateMessageSchema, request.body);
      await submit(ctx, request, conversation, form);
      return reply.status(201).send({ data: { status: 'received' } });
    });

    scope.get(pagePath, { config: { rateLimit: { ...viewLimit, keyGenerator: rateKey } } }, async (request, reply) => {
      let conversation: PrivateConversation;
      try {
        conversation = await openFromRequest(ctx, request);
      } catch (error) {
        if (error instanceof AppError) return sendHtml(reply, error.status, renderGonePage(error.message));
        throw error;
      }
      const start = startOf(ctx, conversation);
      return sendHtml(reply, 200, renderConversationPage({ ...start, expiresAt: conversation.expiresAt }));
    });

    scope.post(pagePath, { bodyLimit, config: { rateLimit: { ...submitLimit, keyGenerator: rateKey } } }, async (request, reply) => {
      let conversation: PrivateConversation;
      try {
        conversation = await openFromRequest(ctx, request);
      } catch (error) {
        if (error instanceof AppError) return sendHtml(reply, error.status, renderGonePage(error.message));
        throw error;
      }
      const body: unknown = request.body;
      try {
        await submit(ctx, request, conversation, parseBody(privateMessageSchema, body));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
        // The form again, with what the person typed and what to fix (and a fresh fill-time token).
        const start = startOf(ctx, conversation);
        const values = typeof body === 'object' && body !== null ? body : {};
        const field = (name: string): string | undefined => {
          const value: unknown = Reflect.get(values, name);
          return typeof value === 'string' ? value.slice(0, 20_000) : undefined;
        };
        return sendHtml(reply, 422, renderConversationPage({
          ...start,
          expiresAt: conversation.expiresAt,
          errors: (error.details ?? [{ path: 'form', message: error.message }]).map((d) => `${d.path}: ${d.message}`),
          values: { name: field('name'), email: field('email'), message: field('message') },
        }));
      }
      return sendHtml(reply, 200, renderReceivedPage(conversation.channel.name));
    });
  });
}
