import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { readFixture } from '../../../../../test/support/payloads.ts';
import { ConnectorError } from '../../connector.ts';
import { decodeFeedBytes } from './feed.charset.ts';
import { declaresEntities, parseFeedXml } from './feed.parser.ts';
import { feedExternalId, mapFeedItem } from './feed.mapper.ts';

const now = new Date('2025-10-10T12:00:00Z');
const fixture = (file: string) => decodeFeedBytes(readFixture('feeds', file), null).text;

describe('feed parser', () => {
  it('reads RSS 2.0: guid as id, content:encoded as plain text, creator, date and channel language', () => {
    const url = 'https://gripes.example.com/feed';
    const feed = parseFeedXml(fixture('rss2-blog.xml'), url);
    expect(feed.format).toBe('rss2');
    expect(feed.items).toHaveLength(2);
    const post = mapFeedItem(feed.items[0], feed, url, now);
    expect(post?.message).toMatchObject({
      externalId: 'gripes-2025-10-acme-x200',
      author: { platform: 'rss', externalId: 'gripes.example.com:priya shah', handle: 'Priya Shah' },
      isPublic: true,
      sentAt: '2025-10-09T08:30:00.000Z',
    });
    expect(post?.message.text).toBe(
      'Why my Acme X200 keeps dropping & what support said\n\nThe X200 drops wifi every evening.\n\nSupport told me to "turn it off and on"\u00a0again.'.replace('\u00a0', ' '),
    );
    expect(post?.message.text).not.toMatch(/<|alert/);
    expect(post?.lang).toBe('en-gb');
    // No guid: the link is the id; an entity-encoded HTML description comes out as text.
    const second = mapFeedItem(feed.items[1], feed, url, now);
    expect(second?.message.externalId).toBe('https://gripes.example.com/2025/10/firmware-21');
    expect(second?.message.text).toBe('Firmware 2.1 notes\n\nRelease notes say stability fixes. We will see.');
  });

  it('reads RSS 1.0 / RDF with items outside the channel', () => {
    const url = 'https://forum.example.org/acme/rss';
    const feed = parseFeedXml(fixture('rss1-forum.rdf'), url);
    expect(feed.format).toBe('rss1');
    const post = mapFeedItem(feed.items[0], feed, url, now);
    expect(post?.message).toMatchObject({
      externalId: 'https://forum.example.org/t/981',
      text: 'Routeur Acme : coupures tous les soirs\n\nDepuis la mise à jour, la connexion saute.',
      author: { handle: 'lucie_m' },
      sentAt: '2025-10-08T17:12:00.000Z',
    });
    expect(post?.lang).toBe('fr');
  });

  it('reads Atom: html and xhtml content, relative links, per-entry language and thr:in-reply-to', () => {
    const url = 'https://reviews.example.net/feed.atom';
    const feed = parseFeedXml(fixture('atom-reviews.xml'), url);
    expect(feed.format).toBe('atom');
    const [review, reply] = feed.items.map((item) => mapFeedItem(item, feed, url, now));
    expect(review?.message).toMatchObject({
      externalId: 'tag:reviews.example.net,2025:review-77',
      text: 'One star again\n\nReplacement unit, same fault.\nRefund please.',
      author: { handle: 'Marco Rossi' },
      sentAt: '2025-10-09T09:45:00.000Z',
    });
    expect(review?.lang).toBe('en');
    expect(feed.items[0].link).toBe('https://reviews.example.net/reviews/77');
    expect(reply?.message.replyToExternalId).toBe('tag:reviews.example.net,2025:review-77');
    expect(reply?.message.text).toBe('Re: One star again\n\nA mí me pasó lo mismo.');
    expect(reply?.lang).toBe('es');
  });

  it('rejects billion laughs quickly, before any expansion', () => {
    const started = performance.now();
    expect(() => parseFeedXml(fixture('billion-laughs.xml'), 'https://x.example/')).toThrow(ConnectorError);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('rejects external entities (XXE) and any internal DTD subset', () => {
    expect(() => parseFeedXml(fixture('external-entity.xml'), 'https://x.example/')).toThrow(/DTD/);
    expect(declaresEntities('<!DOCTYPE rss [ ]><rss/>')).toBe(true);
    expect(declaresEntities('<rss><!ENTITY a "b"></rss>')).toBe(true);
  });

  it('accepts an external DTD reference (old RSS 0.91) without fetching it', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:1/rss-0.91.dtd"><rss version="0.91"><channel><title>t</title><item><title>hello</title><link>https://a.example/1</link></item></channel></rss>';
    expect(parseFeedXml(xml, 'https://a.example/').items[0].title).toBe('hello');
  });

  it.each([
    ['HTML page', '<html><body>not a feed</body></html>'],
    ['empty body', ''],
    ['JSON', '{"items":[]}'],
  ])('rejects a %s as not RSS or Atom', (_name, body) => {
    expect(() => parseFeedXml(body, 'https://a.example/')).toThrow(ConnectorError);
  });

  it('only ever throws ConnectorError on arbitrary input', () => {
    const base = fixture('rss2-blog.xml');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat(base.length).map((n) => base.slice(0, n)), fc.string().map((s) => base.replace('<item>', `<item>${s}`))), (xml) => {
        try {
          parseFeedXml(xml, 'https://a.example/');
        } catch (error) {
          expect(error).toBeInstanceOf(ConnectorError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hashes ids longer than Parley keeps', () => {
    expect(feedExternalId(`https://a.example/${'x'.repeat(300)}`)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('feed charset', () => {
  const latin1 = readFixture('feeds', 'rss2-latin1.xml');

  it.each([
    ['the XML declaration', null],
    ['the Content-Type charset', 'application/rss+xml; charset=ISO-8859-1'],
    ['a Content-Type that wrongly says UTF-8 (falls back to Windows-1252)', 'text/xml; charset=utf-8'],
    ['an unknown Content-Type charset (falls through to the declaration)', 'text/xml; charset=x-klingon'],
  ])('decodes ISO-8859-1 by %s', (_name, contentType) => {
    const feed = parseFeedXml(decodeFeedBytes(latin1, contentType).text, 'https://noticias.example.pt/rss');
    expect(feed.title).toBe('Notícias');
    expect(feed.items[0].body).toBe('A ligação cai todas as noites, diz a mãe de um utente.');
  });

  it('honours byte-order marks and UTF-16', () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Ünïcode</title></channel></rss>';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml, 'utf-16le')]);
    expect(parseFeedXml(decodeFeedBytes(utf16, null).text, 'https://a.example/').title).toBe('Ünïcode');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml.replace('UTF-16', 'UTF-8'))]);
    expect(decodeFeedBytes(bom, 'text/xml; charset=iso-8859-1').text.startsWith('<?xml')).toBe(true);
  });
});
