import type { FastifyRequest } from 'fastify';
import { decryptSecret } from '../../platform/crypto.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { findChannelForWebhook } from '../../features/channels/index.ts';
import type { ChannelKind, ChannelView } from '../../features/channels/index.ts';
import type { AppContext } from '../app-context.ts';

export interface WebhookChannel {
  channel: ChannelView & { workspaceId: string };
  credentials: Record<string, string>;
}

/**
 * The channel a public URL names, if it exists, is of the expected kind and is not disabled — otherwise "not found",
 * the same answer for all three so the URL space reveals nothing.
 */
export async function loadWebhookChannel(ctx: AppContext, channelId: string, kind: ChannelKind): Promise<WebhookChannel> {
  const found = isUuid(channelId) ? await findChannelForWebhook(ctx.db, channelId) : null;
  if (!found || found.channel.kind !== kind || found.channel.config.enabled === false) throw notFound('channel');
  return { channel: found.channel, credentials: credentialsOf(ctx, found.credentialsEncrypted) };
}

function credentialsOf(ctx: AppContext, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  try {
    const parsed: unknown = JSON.parse(decryptSecret(ctx.secretKey, sealed));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    // Sealed under another key: the channel has no usable credentials, and its webhooks fail their signature check.
    ctx.logger.warn({ channelKind: 'webhook' }, 'channel credentials cannot be decrypted with this secret key');
    return {};
  }
}

/**
 * The public base URL of this server as the platform sees it: the channel's `publicUrl`, else PARLEY_PUBLIC_URL, else
 * what this request says (only right without a rewriting proxy; a wrong base makes signatures fail, never pass).
 */
export function publicBaseOf(ctx: AppContext, request: FastifyRequest, channelPublicUrl: unknown): string {
  const configured = typeof channelPublicUrl === 'string' && channelPublicUrl ? channelPublicUrl : ctx.config.publicUrl;
  const base = configured ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`;
  return base.replace(/\/+$/, '');
}
