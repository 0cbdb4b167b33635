import type { ChannelKind } from './channel.types.ts';
import type { SendConnector, SendDeps } from './send-connector.ts';
import { createBlueskySender } from './drivers/bluesky/bluesky.sender.ts';
import { createMastodonSender } from './drivers/mastodon/mastodon.sender.ts';
import { createXSender } from './drivers/x/x.sender.ts';
import { createFacebookSender } from './drivers/facebook/facebook.sender.ts';
import { createEmailSender } from './drivers/email/email.outbox-sender.ts';

/** The one place that chooses a send driver for a channel kind; null for kinds that are not sent by a connector. */
export function createSendConnector(kind: ChannelKind, deps: SendDeps = {}): SendConnector | null {
  switch (kind) {
    case 'x':
      return createXSender(deps);
    case 'bluesky':
      return createBlueskySender(deps);
    case 'mastodon':
      return createMastodonSender(deps);
    case 'facebook':
      return createFacebookSender(deps);
    case 'email':
    case 'webform':
      return createEmailSender();
    case 'phone':
    case 'rss':
    case 'api':
      return null;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown channel kind ${String(unreachable)}`);
    }
  }
}

