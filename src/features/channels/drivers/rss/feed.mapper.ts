import { createHash } from 'node:crypto';
import type { MappedPost } from '../shared/inbound.builder.ts';
import { buildInboundMessage, normalizeLang, toIsoTime } from '../shared/inbound.builder.ts';
import { collapseWhitespace, htmlToText } from '../shared/html-text.converter.ts';
import type { FeedItem, ParsedFeed } from './feed.parser.ts';

/** Feed items are public posts on a listening channel: title and body as plain text, guid (or link) as the id. */

/** An external id within Parley's 256 characters: long guids and links are hashed. */
export function feedExternalId(value: string): string {
  const trimmed = value.trim();
  return trimmed.length <= 256 ? trimmed : `sha256:${createHash('sha256').update(trimmed).digest('hex')}`;
}

export function feedItemKey(item: FeedItem): string | null {
  const key = item.id ?? item.link;
  return key ? feedExternalId(key) : null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return 'feed';
  }
}

export function mapFeedItem(item: FeedItem, feed: ParsedFeed, feedUrl: string, now: Date): MappedPost | null {
  const externalId = feedItemKey(item);
  if (!externalId) return null;
  const title = collapseWhitespace(item.title);
  const body = item.body ? (item.bodyIsHtml ? htmlToText(item.body) : collapseWhitespace(item.body)) : '';
  const text = [title, body].filter((part) => part.length > 0).join('\n\n');
  if (!text) return null;
  const host = hostOf(item.link ?? feedUrl);
  const authorName = item.author ? collapseWhitespace(item.author).slice(0, 200) : null;
  const lang = normalizeLang(item.lang);
  const message = buildInboundMessage({
    externalId,
    direction: 'inbound',
    text,
    author: {
      platform: 'rss',
      externalId: authorName ? `${host}:${authorName.toLowerCase()}` : host,
      handle: authorName ?? host,
      displayName: authorName ?? (collapseWhitespace(feed.title) || host),
    },
    replyToExternalId: item.inReplyTo ? feedExternalId(item.inReplyTo) : undefined,
    isPublic: true,
    sentAt: toIsoTime(item.published, now, now),
    raw: { feedUrl, format: feed.format, link: item.link, title, lang },
  });
  return message ? { message, lang } : null;
}
