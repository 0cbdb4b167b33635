import { findChannelByToken } from '../../../features/channels/index.ts';
import type { ChannelView } from '../../../features/channels/index.ts';
import type { Queryable } from '../../../platform/db/db.ts';

type TokenChannel = ChannelView & { workspaceId: string };

// Ingest is the hottest path; most of its calls come from a few clients re-sending the same channel token.
const ttlMs = 5_000;
const maxEntries = 1_000;

/**
 * A short-lived, per-process memory of which channel a token opens. A rotated token is forgotten at once in this
 * process (see `forgetChannelTokens`) and within the TTL in the others.
 */
export function createChannelTokenCache(now: () => number = Date.now) {
  const entries = new Map<string, { channel: TokenChannel; expiresAt: number }>();
  return {
    async lookup(db: Queryable, token: string): Promise<TokenChannel | null> {
      const hit = entries.get(token);
      if (hit && hit.expiresAt > now()) return hit.channel;
      const channel = await findChannelByToken(db, token);
      if (!channel) {
        entries.delete(token);
        return null;
      }
      if (entries.size >= maxEntries) entries.clear();
      entries.set(token, { channel, expiresAt: now() + ttlMs });
      return channel;
    },
    forgetChannel(channelId: string): void {
      for (const [token, entry] of entries) if (entry.channel.id === channelId) entries.delete(token);
    },
  };
}
