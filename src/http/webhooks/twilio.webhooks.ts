import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { ingestMessage } from '../../features/ingest/index.ts';
import {
  goodbyeTwiml, mapCallStatus, mapRecording, mapTranscription, phoneConfigOf, validateTwilioRequest, voicemailTwiml,
} from '../../features/channels/index.ts';
import type { PhoneConfig, TwilioParams, VoiceMapping, VoiceParams } from '../../features/channels/index.ts';
import type { AppContext } from '../app-context.ts';
import { ingestDepsOf } from '../app-context.ts';
import type { ApiDocs } from '../openapi.ts';
import { parseParams } from '../validation.ts';
import { loadWebhookChannel, publicBaseOf } from './webhook-channel.ts';
import type { WebhookChannel } from './webhook-channel.ts';

const paramsSchema = z.object({ channelId: z.string().max(64) });
const events = ['voice', 'recording', 'transcription', 'status'] as const;
type VoiceEvent = (typeof events)[number];

/** Twilio posts form bodies; these are small (a few KB), so a tight limit keeps the public URL cheap to hit. */
const webhookBodyLimit = 64 * 1024;

function paramsOf(body: unknown): { all: TwilioParams; first: VoiceParams } {
  const all: TwilioParams = {};
  const first: VoiceParams = {};
  if (typeof body !== 'string') return { all, first };
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = all[name];
    if (existing === undefined) all[name] = value;
    else all[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    first[name] ??= value;
  }
  return { all, first };
}

/**
 * Twilio voice webhooks under /webhooks/twilio/:channelId/… — incoming call (TwiML offering voicemail), the
 * voicemail recording, its transcript and call status callbacks. Every request must carry a valid
 * X-Twilio-Signature for the channel's auth token; form bodies are accepted in this scope only.
 */
export function registerTwilioWebhooks(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  for (const event of events) {
    docs.add({
      method: 'post', path: `/webhooks/twilio/:channelId/${event}`, tag: 'webhooks', auth: 'none',
      summary: summaries[event],
      responses: {
        200: event === 'voice' || event === 'recording' ? 'TwiML' : 'accepted', 204: 'accepted, nothing to answer',
        403: 'missing or wrong X-Twilio-Signature', 404: 'no such phone channel', 415: 'not a form or JSON body',
      },
    });
  }

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Both kept as text: the signature covers the form parameters or the raw JSON body, never a re-serialisation.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: webhookBodyLimit }, (_req, body, done) => {
      done(null, body);
    });
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: webhookBodyLimit }, (_req, body, done) => {
      done(null, body);
    });

    scope.post('/webhooks/twilio/:channelId/:event', async (request, reply) => {
      const { channelId, event } = parseParams(paramsSchema.extend({ event: z.enum(events) }), request.params);
      const webhook = await loadWebhookChannel(ctx, channelId, 'phone');
      const config = phoneConfigOf(webhook.channel.config);
      const base = publicBaseOf(ctx, request, config.publicUrl);
      const { all, first } = verify(request, webhook, base);
      return handle(ctx, request, reply, { webhook, config, base, event, params: first, all });
    });
  });
}

const summaries: Record<VoiceEvent, string> = {
  voice: 'Twilio incoming call: answers with TwiML that offers voicemail (recording with transcription)',
  recording: 'Twilio <Record> action: the voicemail is stored now, or when its transcript arrives; answers goodbye TwiML',
  transcription: 'Twilio transcription callback: the voicemail becomes a message with its transcript',
  status: 'Twilio call status callback: a finished incoming call becomes a message (CallSid is its external id)',
};

function verify(request: FastifyRequest, webhook: WebhookChannel, base: string): { all: TwilioParams; first: VoiceParams } {
  const signature = request.headers['x-twilio-signature'];
  const url = `${base}${request.url}`;
  const isJson = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
  const form = isJson ? { all: {}, first: {} } : paramsOf(request.body);
  const valid = validateTwilioRequest(webhook.credentials.authToken ?? '', {
    url,
    signature: typeof signature === 'string' ? signature : undefined,
    params: isJson ? undefined : form.all,
    rawBody: isJson && typeof request.body === 'string' ? request.body : undefined,
  });
  if (!valid) throw new AppError('forbidden', 'missing or invalid X-Twilio-Signature');
  if (!isJson) return form;
  return { all: {}, first: jsonParams(request.body) };
}

/** Twilio's JSON webhooks carry flat objects; only string-valued fields matter to the voice mapping. */
function jsonParams(body: unknown): VoiceParams {
  if (typeof body !== 'string') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AppError('invalid_json', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

interface VoiceRequest {
  webhook: WebhookChannel;
  config: PhoneConfig;
  base: string;
  event: VoiceEvent;
  params: VoiceParams;
  all: TwilioParams;
}

async function handle(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, voice: VoiceRequest): Promise<FastifyReply> {
  const { config, event, params } = voice;
  const now = ctx.clock.now();
  const callbackUrl = (name: VoiceEvent) => `${voice.base}/webhooks/twilio/${voice.webhook.channel.id}/${name}`;
  switch (event) {
    case 'voice':
      return reply.status(200).type('text/xml').send(voicemailTwiml({
        greeting: config.greeting, language: config.language, maxLengthSeconds: config.maxRecordingSeconds, transcribe: config.transcribe,
        recordedUrl: callbackUrl('recording'), transcriptionUrl: callbackUrl('transcription'),
      }));
    case 'recording':
      await store(ctx, request, voice, mapRecording(params, config, now));
      return reply.status(200).type('text/xml').send(goodbyeTwiml(config.goodbye, config.language));
    case 'transcription':
      await store(ctx, request, voice, mapTranscription(params, config, now));
      return reply.status(204).send();
    case 'status':
      await store(ctx, request, voice, mapCallStatus(params, config, now));
      return reply.status(204).send();
    default: {
      const unreachable: never = event;
      throw new Error(`unknown Twilio event ${String(unreachable)}`);
    }
  }
}

async function store(ctx: AppContext, request: FastifyRequest, voice: VoiceRequest, mapping: VoiceMapping): Promise<void> {
  const channel = voice.webhook.channel;
  switch (mapping.kind) {
    case 'message': {
      const target = { workspaceId: channel.workspaceId, id: channel.id, kind: channel.kind, owned: channel.owned };
      const outcome = await ingestMessage(ingestDepsOf(ctx), target, mapping.message);
      ctx.metrics.messagesIngested.inc({ channel_kind: channel.kind, status: outcome.status });
      return;
    }
    case 'wait':
    case 'skip':
      request.log.debug({ channelId: channel.id, event: voice.event, reason: mapping.reason }, 'twilio webhook stored nothing');
      return;
    default: {
      const unreachable: never = mapping;
      throw new Error(`unknown mapping ${JSON.stringify(unreachable)}`);
    }
  }
}
