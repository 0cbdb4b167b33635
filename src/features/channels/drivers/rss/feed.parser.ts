import { XMLParser } from 'fast-xml-parser';
import { decodeEntities, htmlToText } from '../shared/html-text.converter.ts';
import { feedFormatError } from './rss.errors.ts';

/**
 * RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 documents into one item shape. Hostile documents are refused
 * before parsing: any DOCTYPE with an internal subset (entity declarations: billion laughs, external entities) is
 * rejected outright, and external DTDs are never fetched, so no entity beyond XML's five and numeric references is
 * ever expanded.
 */

export type FeedFormat = 'rss2' | 'rss1' | 'atom';

export interface FeedItem {
  /** guid, Atom id or rdf:about. */
  id: string | null;
  link: string | null;
  title: string;
  /** The body as the feed gives it. */
  body: string | null;
  bodyIsHtml: boolean;
  author: string | null;
  published: string | null;
  lang: string | null;
  inReplyTo: string | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  link: string | null;
  lang: string | null;
  items: FeedItem[];
}

export const maxFeedItems = 500;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 1, maxTotalExpansions: 10_000, maxExpandedLength: 1_000_000 },
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
  // Atom bodies may be XHTML (mixed content) whose order the object model would lose: kept as raw markup instead.
  stopNodes: ['feed.entry.content', 'feed.entry.summary'],
});

/** True when the document declares a DTD internal subset or entities: Parley never processes those. */
export function declaresEntities(xml: string): boolean {
  const start = xml.search(/<!DOCTYPE/i);
  if (start >= 0) {
    const end = xml.indexOf('>', start);
    const bracket = xml.indexOf('[', start);
    if (bracket >= 0 && (end < 0 || bracket < end)) return true;
  }
  return /<!ENTITY/i.test(xml.slice(0, 65_536));
}

type Node = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Node): Node[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value: Node): Node {
  return Array.isArray(value) ? value[0] : value;
}

/** The text content of an element, attributes excluded, descending into mixed content (Atom xhtml). */
export function textOf(value: Node, depth = 0): string {
  if (depth > 32) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => textOf(v, depth + 1)).join(' ');
  if (!isRecord(value)) return '';
  if ('#text' in value && Object.keys(value).every((k) => k === '#text' || k.startsWith('@_'))) return textOf(value['#text'], depth + 1);
  return Object.entries(value)
    .filter(([k]) => !k.startsWith('@_'))
    .map(([, v]) => textOf(v, depth + 1))
    .join(' ');
}

function attr(value: Node, name: string): string | null {
  const node = first(value);
  if (!isRecord(node)) return null;
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : null;
}

function child(node: Node, name: string): Node {
  return isRecord(node) ? node[name] : undefined;
}

function firstText(node: Node, ...names: string[]): string | null {
  for (const name of names) {
    const text = textOf(first(child(node, name))).trim();
    if (text) return text;
  }
  return null;
}

function resolveUrl(href: string | null, base: string): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export function parseFeedXml(xml: string, feedUrl: string): ParsedFeed {
  if (declaresEntities(xml)) throw feedFormatError('the feed declares a DTD with entities; refused');
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    throw feedFormatError(`the feed is not well-formed XML: ${error instanceof Error ? error.message.slice(0, 160) : ''}`);
  }
  if (!isRecord(doc)) throw feedFormatError('the feed is empty');
  if (isRecord(doc.rss) || isRecord(first(doc.rss))) return parseRss2(first(doc.rss), feedUrl);
  if (doc['rdf:RDF'] !== undefined) return parseRss1(first(doc['rdf:RDF']), feedUrl);
  if (doc.feed !== undefined) return parseAtom(first(doc.feed), feedUrl);
  throw feedFormatError('the document is not RSS or Atom');
}

function parseRss2(rss: Node, feedUrl: string): ParsedFeed {
  const channel = first(child(rss, 'channel'));
  const lang = firstText(channel, 'language', 'dc:language');
  const items = asArray(child(channel, 'item')).slice(0, maxFeedItems).map((item): FeedItem => {
    const guid = first(child(item, 'guid'));
    const encoded = firstText(item, 'content:encoded');
    return {
      id: textOf(guid).trim() || null,
      link: resolveUrl(firstText(item, 'link') ?? (attr(guid, 'isPermaLink') === 'false' ? null : textOf(guid)), feedUrl),
      title: firstText(item, 'title') ?? '',
      body: encoded ?? firstText(item, 'description'),
      bodyIsHtml: true,
      author: firstText(item, 'dc:creator', 'author'),
      published: firstText(item, 'pubDate', 'dc:date'),
      lang: firstText(item, 'dc:language') ?? lang,
      inReplyTo: null,
    };
  });
  return { format: 'rss2', title: firstText(channel, 'title') ?? '', link: resolveUrl(firstText(channel, 'link'), feedUrl), lang, items };
}

function parseRss1(rdf: Node, feedUrl: string): ParsedFeed {
  const channel = first(child(rdf, 'channel'));
  const lang = firstText(channel, 'dc:language');
  const items = asArray(child(rdf, 'item')).slice(0, maxFeedItems).map((item): FeedItem => ({
    id: attr(item, 'rdf:about'),
    link: resolveUrl(firstText(item, 'link') ?? attr(item, 'rdf:about'), feedUrl),
    title: firstText(item, 'title') ?? '',
    body: firstText(item, 'content:encoded', 'description'),
    bodyIsHtml: true,
    author: firstText(item, 'dc:creator'),
    published: firstText(item, 'dc:date'),
    lang: firstText(item, 'dc:language') ?? lang,
    inReplyTo: null,
  }));
  return { format: 'rss1', title: firstText(channel, 'title') ?? '', link: resolveUrl(firstText(channel, 'link'), feedUrl), lang, items };
}

function atomLink(entry: Node, base: string): string | null {
  const links = asArray(child(entry, 'link'));
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  return resolveUrl(alternate === undefined ? null : attr(alternate, 'href'), base);
}

/** The character data of raw XML (a stop node): CDATA sections verbatim, references outside them decoded once. */
function characterData(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part)))
    .join('');
}

function atomText(node: Node, raw = false): { text: string; html: boolean } | null {
  const value = first(node);
  if (value === undefined) return null;
  const type = attr(value, 'type') ?? 'text';
  const content = textOf(value).trim();
  if (!content) return null;
  // Raw stop nodes: XHTML is markup as it stands; html and text are character data holding (escaped) content.
  if (raw && type === 'xhtml') return { text: content, html: true };
  const text = raw ? characterData(content) : content;
  return { text, html: type === 'html' || type === 'text/html' };
}

function parseAtom(feed: Node, feedUrl: string): ParsedFeed {
  const base = resolveUrl(attr(feed, 'xml:base'), feedUrl) ?? feedUrl;
  const lang = attr(feed, 'xml:lang');
  const feedAuthor = firstText(first(child(feed, 'author')), 'name');
  const items = asArray(child(feed, 'entry')).slice(0, maxFeedItems).map((entry): FeedItem => {
    const body = atomText(child(entry, 'content'), true) ?? atomText(child(entry, 'summary'), true);
    const title = atomText(child(entry, 'title'));
    return {
      id: firstText(entry, 'id'),
      link: atomLink(entry, resolveUrl(attr(entry, 'xml:base'), base) ?? base),
      title: title ? (title.html ? htmlToText(title.text) : title.text) : '',
      body: body?.text ?? null,
      bodyIsHtml: body?.html ?? false,
      author: firstText(first(child(entry, 'author')), 'name') ?? feedAuthor,
      published: firstText(entry, 'published', 'updated'),
      lang: attr(entry, 'xml:lang') ?? lang,
      inReplyTo: attr(child(entry, 'thr:in-reply-to'), 'ref'),
    };
  });
  return { format: 'atom', title: atomText(child(feed, 'title'))?.text ?? '', link: atomLink(feed, base), lang, items };
}
