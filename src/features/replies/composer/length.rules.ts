import twitterText from 'twitter-text';

export const composerChannels = ['x', 'bluesky', 'mastodon', 'facebook', 'email', 'sms'] as const;
export type ComposerChannel = (typeof composerChannels)[number];

export interface LengthOptions {
  /** Mastodon instances set their own limit; 500 is the default of a stock instance. */
  mastodonLimit?: number;
  /** How many concatenated SMS segments a reply may use. */
  smsMaxSegments?: number;
}

export interface LengthReport {
  count: number;
  limit: number;
  ok: boolean;
  /** What `count` counts, for the composer's counter. */
  unit: 'weighted characters' | 'graphemes' | 'characters' | 'segments';
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function countGraphemes(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n += 1;
  return n;
}

// Mastodon counts every URL as 23 characters and a remote mention by its local part only.
const mastodonUrl = /https?:\/\/[^\s<>"]+/gi;
const mastodonRemoteMention = /(^|[^\p{L}\p{N}_/])@([a-z0-9_]+)@[a-z0-9.-]+\.[a-z]{2,}/giu;

function mastodonLength(text: string): number {
  const normalised = text.replace(mastodonUrl, 'x'.repeat(23)).replace(mastodonRemoteMention, '$1@$2');
  return [...normalised].length;
}

// GSM 03.38: the basic set costs one septet, the extension set two; anything else forces UCS-2.
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const gsmExtended = new Set('^{}\\[~]|€\f');

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
}

export function countSmsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (gsmBasic.has(ch)) septets += 1;
    else if (gsmExtended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export const platformLimits = { x: 280, bluesky: 300, mastodon: 500, facebook: 8000, email: 20_000, smsSegments: 3 } as const;

/** Measures a draft by the platform's own rule (X's weighted count via twitter-text, Bluesky graphemes, …). */
export function measureLength(text: string, channel: ComposerChannel, options: LengthOptions = {}): LengthReport {
  switch (channel) {
    case 'x': {
      const count = twitterText.parseTweet(text).weightedLength;
      return { count, limit: platformLimits.x, ok: count <= platformLimits.x, unit: 'weighted characters' };
    }
    case 'bluesky': {
      const count = countGraphemes(text);
      return { count, limit: platformLimits.bluesky, ok: count <= platformLimits.bluesky, unit: 'graphemes' };
    }
    case 'mastodon': {
      const limit = options.mastodonLimit ?? platformLimits.mastodon;
      const count = mastodonLength(text);
      return { count, limit, ok: count <= limit, unit: 'characters' };
    }
    case 'facebook': {
      const count = [...text].length;
      return { count, limit: platformLimits.facebook, ok: count <= platformLimits.facebook, unit: 'characters' };
    }
    case 'email': {
      const count = [...text].length;
      return { count, limit: platformLimits.email, ok: count <= platformLimits.email, unit: 'characters' };
    }
    case 'sms': {
      const limit = options.smsMaxSegments ?? platformLimits.smsSegments;
      const { segments } = countSmsSegments(text);
      return { count: segments, limit, ok: segments <= limit, unit: 'segments' };
    }
    default: {
      const unreachable: never = channel;
      throw new Error(`unknown channel ${String(unreachable)}`);
    }
  }
}

/**
 * The length rule a reply on a channel of this kind is held to. Phone replies go out as SMS; web-form, blog and
 * forum answers are written like emails (forums and blogs are answered on the site itself).
 */
export function composerChannelFor(kind: string): ComposerChannel {
  switch (kind) {
    case 'x':
    case 'bluesky':
    case 'mastodon':
    case 'facebook':
    case 'email':
      return kind;
    case 'phone':
      return 'sms';
    default:
      return 'email';
  }
}
