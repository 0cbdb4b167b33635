export const channelKinds = ['api', 'x', 'bluesky', 'mastodon', 'facebook', 'rss', 'email', 'phone', 'webform'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const channelHealths = ['idle', 'connected', 'lagging', 'failing'] as const;
export type ChannelHealth = (typeof channelHealths)[number];

/** A channel as the API shows it: never its credentials or token. */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  hasCredentials: boolean;
  health: ChannelHealth;
  healthReason: string | null;
  /** While a failing listener waits out its back-off: when it tries again. */
  nextAttemptAt: string | null;
  lastSuccessAt: string | null;
  failureCount: number;
  createdAt: string;
}
