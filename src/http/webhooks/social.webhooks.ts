import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { ingestMessage } from '../../features/ingest/index.ts';
import type { InboundMessage } from '../../features/ingest/index.ts';
import { recordChannelHealth } from '../../features/channels/index.ts';
import { xCrcResponse, verifyXSignature } from '../../features/channels/drivers/x/x-webhook.signature.ts';
import { mapXAccountActivity } from '../../features/channels/drivers/x/x-activity.mapper.ts';
import { verifyFacebookSignature } from '../../features/channels/drivers/facebook/facebook.signature.ts';
import { mapFacebookWebhook } from '../../features/channels/drivers/facebook/facebook.mapper.ts';
import { parsePlatformJson } from '../../features/channels/drivers/shared/lossless-json.ts';
import { safeEqual } from '../../platform/crypto.ts';
import type { AppContext } from '../app-context.ts';
import { ingestDepsOf } from '../app-context.ts';
import type { ApiDocs } from '../openapi.ts';
import { parseParams } from '../validation.ts';
import { loadWebhookChannel } from './webhook-channel.ts';
import type { WebhookChannel } from './webhook-channel.ts';

const paramsSchema = z.object({ channelId: z.string().max(64) });
const crcQuerySchema = z.object({ crc_token: z.string().min(1).max(1024) });
const hubQuerySchema = z.object({
  'hub.mode': z.string().max(32),
  'hub.verify_token': z.string().max(1024),
  'hub.challenge': z.string().max(1024),
});

/** Event bodies are small; a batched Page webhook stays well under this. */
const webhookBodyLimit = 512 * 1024;
/** Deliveries whose events are older than this are refused as replays (Meta retries for about a day and a half). */
const defaultReplayWindowHours = 48;

function replayWindowMs(webhook: WebhookChannel): number {
  const hours = webhook.channel.config.replayWindowHours;
  return (typeof hours === 'number' && hours > 0 ? hours : defaultReplayWindowHours) * 3_600_000;
}

function parseBody(raw: unknown): { bytes: Buffer; json: unknown } {
  if (!Buffer.isBuffer(raw)) throw new AppError('bad_request', 'a JSON body is required');
  try {
    return { bytes: raw, json: parsePlatformJson(raw.toString('utf8')) };
  } catch {
    throw new AppError('invalid_json', 'the body is not valid JSON');
  }
}

interface Delivery {
  accepted: number;
  duplicates: number;
  skipped: number;
}

async function ingestAll(ctx: AppContext, webhook: WebhookChannel, messages: InboundMessage[], skipped: number): Promise<Delivery> {
  const target = { workspaceId: webhook.channel.workspaceId, id: webhook.channel.id, kind: webhook.channel.kind, owned: webhook.channel.owned };
  const deps = ingestDepsOf(ctx);
  const delivery: Delivery = { accepted: 0, duplicates: 0, skipped };
  for (const message of messages) {
    const outcome = await ingestMessage(deps, target, message);
    ctx.metrics.messagesIngested.inc({ channel_kind: webhook.channel.kind, status: outcome.status });
    if (outcome.status === 'created') delivery.accepted += 1;
    else if (outcome.status === 'duplicate') delivery.duplicates += 1;
    else delivery.skipped += 1;
  }
  return delivery;
}

/**
 * Owned-account webhooks: X Account Activity (/webhooks/x/:channelId: CRC on GET, `x-twitter-webhooks-signature`
 * on POST) and Facebook Pages and Messenger (/webhooks/facebook/:channelId: `hub.challenge` on GET,
 * `X-Hub-Signature-256` on POST). Signatures are checked over the raw bytes before anything is parsed.
 */
export function registerSocialWebhooks(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({ method: 'get', path: '/webhooks/x/:channelId', tag: 'webhooks', auth: 'none', query: crcQuerySchema,
    summary: "X challenge-response check: answers the crc_token signed with the channel's consumer secret",
    responses: { 200: '{"response_token": "sha256=…"}', 400: 'no crc_token', 404: 'no such X channel' } });
  docs.add({ method: 'post', path: '/webhooks/x/:channelId', tag: 'webhooks', auth: 'none',
    summary: 'X Account Activity events: mentions, replies and DMs become messages; own posts are recorded as answers',
    responses: { 200: 'counts of accepted, duplicate and skipped events', 400: 'malformed JSON', 403: 'bad signature', 404: 'no such X channel' } });
  docs.add({ method: 'get', path: '/webhooks/facebook/:channelId', tag: 'webhooks', auth: 'none', query: hubQuerySchema,
    summary: 'Meta webhook verification: echoes hub.challenge when hub.verify_token matches', responses: { 200: 'the challenge', 403: 'wrong verify token', 404: 'no such Facebook channel' } });
  docs.add({ method: 'post', path: '/webhooks/facebook/:channelId', tag: 'webhooks', auth: 'none',
    summary: 'Facebook Page feed, mentions, reviews and Messenger events become messages',
    responses: { 200: 'counts of accepted, duplicate and skipped events', 400: 'malformed JSON', 403: 'bad signature', 404: 'no such Facebook channel' } });

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: webhookBodyLimit }, (_req, body, done) => done(null, body));

    scope.get('/webhooks/x/:channelId', async (request) => {
      const { channelId } = parseParams(paramsSchema, request.params);
      const query = parseParams(crcQuerySchema, request.query);
      const webhook = await loadWebhookChannel(ctx, channelId, 'x');
      const secret = webhook.credentials.consumerSecret;
      if (!secret) throw new AppError('forbidden', 'the channel has no consumer secret');
      return { response_token: xCrcResponse(secret, query.crc_token) };
    });

    scope.post('/webhooks/x/:channelId', async (request) => {
      const { channelId } = parseParams(paramsSchema, request.params);
      const webhook = await loadWebhookChannel(ctx, channelId, 'x');
      const { json } = parseBodyChecked(request.body, (b) =>
        verifyXSignature(webhook.credentials.consumerSecret ?? '', b, headerOf(request.headers['x-twitter-webhooks-signature'])));
      const mapped = mapXAccountActivity(json);
      const now = ctx.clock.now().getTime();
      const fresh = mapped.messages.filter((m) => !m.sentAt || now - Date.parse(m.sentAt) <= replayWindowMs(webhook));
      if (mapped.messages.length > 0 && fresh.length === 0) throw new AppError('forbidden', 'every event is outside the replay window');
      if (mapped.revoked) {
        await recordChannelHealth(ctx.db, webhook.channel.workspaceId, webhook.channel.id,
          { state: 'failing', reason: 'auth', message: 'the account owner revoked access on X' }, 'stopped', ctx.clock.now());
      }
      return { data: await ingestAll(ctx, webhook, fresh, mapped.skipped.length + mapped.messages.length - fresh.length) };
    });

    scope.get('/webhooks/facebook/:channelId', async (request, reply) => {
      const { channelId } = parseParams(paramsSchema, request.params);
      const query = parseParams(hubQuerySchema, request.query);
      const webhook = await loadWebhookChannel(ctx, channelId, 'facebook');
      const expected = webhook.credentials.verifyToken ?? '';
      if (query['hub.mode'] !== 'subscribe' || !expected || !safeEqual(expected, query['hub.verify_token'])) {
        throw new AppError('forbidden', 'hub.verify_token does not match');
      }
      return reply.type('text/plain').send(query['hub.challenge']);
    });

    scope.post('/webhooks/facebook/:channelId', async (request) => {
      const { channelId } = parseParams(paramsSchema, request.params);
      const webhook = await loadWebhookChannel(ctx, channelId, 'facebook');
      const { json } = parseBodyChecked(request.body, (b) =>
        verifyFacebookSignature(webhook.credentials.appSecret ?? '', b, headerOf(request.headers['x-hub-signature-256'])));
      const mapped = mapFacebookWebhook(json);
      const oldest = (ctx.clock.now().getTime() - replayWindowMs(webhook)) / 1000;
      const fresh = mapped.messages.filter((m) => m.entryTime === null || m.entryTime >= oldest);
      if (mapped.messages.length > 0 && fresh.length === 0) throw new AppError('forbidden', 'every event is outside the replay window');
      return { data: await ingestAll(ctx, webhook, fresh.map((m) => m.message), mapped.skipped.length + mapped.messages.length - fresh.length) };
    });
  });

  function parseBodyChecked(raw: unknown, verify: (bytes: Buffer) => boolean): { bytes: Buffer; json: unknown } {
    if (!Buffer.isBuffer(raw)) throw new AppError('bad_request', 'a JSON body is required');
    if (!verify(raw)) throw new AppError('forbidden', 'missing or invalid webhook signature');
    return parseBody(raw);
  }
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
