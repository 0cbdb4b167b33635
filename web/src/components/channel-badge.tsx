import type { ChannelKind } from '../lib/wire.types.ts';

export const channelLabels: Record<ChannelKind, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  rss: 'Web/RSS',
  email: 'Email',
  phone: 'Phone',
  webform: 'Web form',
  api: 'API',
};

// A coloured mark per channel, drawn with plain ASCII so no icon font, emoji font or image request is needed.
const glyphs: Record<ChannelKind, string> = {
  x: 'X',
  bluesky: 'Bs',
  mastodon: 'Ma',
  facebook: 'Fb',
  rss: 'Rss',
  email: '@',
  phone: 'Tel',
  webform: 'Wf',
  api: '{}',
};

function isChannelKind(kind: string): kind is ChannelKind {
  return kind in channelLabels;
}

export function channelLabel(kind: string): string {
  return isChannelKind(kind) ? channelLabels[kind] : kind;
}

export function ChannelBadge({ kind, name }: { kind: string; name?: string }) {
  const label = channelLabel(kind);
  return (
    <span className={`channel channel-${isChannelKind(kind) ? kind : 'other'}`} title={name ? `${label}: ${name}` : label}>
      <span className="channel-glyph" aria-hidden="true">{isChannelKind(kind) ? glyphs[kind] : '?'}</span>
      <span className="channel-label">{label}</span>
    </span>
  );
}
