import type { ReceiveConnector, ReceiveContext } from '../connector.ts';
import { isListenableKind } from '../connector.ts';
import { createJetstreamConnector } from './bluesky/jetstream.client.ts';
import { createMastodonConnector } from './mastodon/mastodon-streaming.client.ts';
import { createXStreamConnector } from './x/x-stream.client.ts';
import { createFeedConnector } from './rss/feed.client.ts';
import { createImapConnector } from './email/imap.client.ts';

/**
 * The one place that chooses a driver for a channel. Channels that receive by webhook (`"mode": "webhook"`, e.g. an
 * X account on Account Activity) or only through the ingest API (`"mode": "api"`) have no receive connector here.
 */
export function listensWithDriver(channel: { kind: string; config: Record<string, unknown> }): boolean {
  if (!isListenableKind(channel.kind)) return false;
  return channel.config.mode !== 'webhook' && channel.config.mode !== 'api';
}

export function createReceiveConnector(ctx: ReceiveContext): ReceiveConnector | null {
  const kind = ctx.channel.kind;
  switch (kind) {
    case 'bluesky':
      return createJetstreamConnector(ctx);
    case 'mastodon':
      return createMastodonConnector(ctx);
    case 'x':
      return listensWithDriver(ctx.channel) ? createXStreamConnector(ctx) : null;
    case 'rss':
      return createFeedConnector(ctx);
    case 'email':
      return createImapConnector(ctx);
    case 'api':
    case 'facebook':
    case 'phone':
    case 'webform':
      return null;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown channel kind ${String(unreachable)}`);
    }
  }
}
