import { describe, expect, it } from 'vitest';
import { hasPayloads, readPayload } from '../../../../../test/support/payloads.ts';
import { decodeFeedBytes } from './feed.charset.ts';
import { parseFeedXml } from './feed.parser.ts';
import { mapFeedItem } from './feed.mapper.ts';

const now = new Date('2026-01-01T00:00:00Z');

function replay(file: string, contentType: string | null = null) {
  const url = `https://feeds.example/${file}`;
  const feed = parseFeedXml(decodeFeedBytes(readPayload('feeds', file), contentType).text, url);
  const posts = feed.items.map((item) => mapFeedItem(item, feed, url, now));
  return { feed, posts: posts.filter((p) => p !== null) };
}

describe.skipIf(!hasPayloads('feeds'))('feed parser on the real feeds in ../shared/data/payloads/feeds', () => {
  it.each([
    ['rss2-sample.xml', 'rss2', 7, true],
    ['rss2-reddit.xml', 'rss2', 24, true],
    ['rss2-iso-8859-1-news.xml', 'rss2', 40, true],
    ['rss1-rdf-craigslist.xml', 'rss1', 25, true],
    ['atom-sample.xml', 'atom', 15, true],
    // Its posts quote XML and escaped HTML as code samples: that text is the author's, so markup-like text stays.
    ['atom-blogger-feedburner.xml', 'atom', 25, false],
    ['atom-github-releases.xml', 'atom', 10, true],
    ['atom-rfc4287-minimal.xml', 'atom', 1, true],
  ] as const)('%s: every item becomes a post with text, a unique id, an author and a valid time, and no markup', (file, format, count, noMarkup) => {
    const { feed, posts } = replay(file);
    expect(feed.format).toBe(format);
    expect(posts).toHaveLength(count);
    expect(new Set(posts.map((p) => p.message.externalId)).size).toBe(count);
    for (const { message } of posts) {
      expect(message.text.length).toBeGreaterThan(0);
      if (noMarkup) expect(message.text).not.toMatch(/<\/?(p|a|div|br|img|table|span)\b|&(amp|lt|gt|quot|#\d+);/i);
      expect(message.externalId.length).toBeLessThanOrEqual(256);
      expect(message.author.externalId.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(message.sentAt ?? ''))).toBe(false);
      expect(message.isPublic).toBe(true);
    }
  });

  it('RSS 2.0 sample: guid, creator, date and CDATA content', () => {
    const { posts } = replay('rss2-sample.xml');
    expect(posts[0].message).toMatchObject({ externalId: 'https://medium.com/p/125af37d838f' });
    expect(posts[0].message.text.startsWith('THE CREATIVE FORAGER')).toBe(true);
    expect(posts[0].message.author.handle).toBeTruthy();
  });

  it('ISO-8859-1 news: accents decoded, language from the channel', () => {
    const { feed, posts } = replay('rss2-iso-8859-1-news.xml');
    expect(feed.title).toBe('Jornal de Notícias - Últimas Notícias');
    expect(posts[0].message.text.startsWith('Mãe de utente é a nova presidente da Raríssimas')).toBe(true);
    expect(posts[0].lang).toBe('pt-pt');
    expect(posts[0].message.sentAt).toBe('2018-01-03T13:47:00.000Z');
  });

  it('reddit: numeric character references in the description decode to text', () => {
    const { posts } = replay('rss2-reddit.xml');
    expect(posts[0].message.externalId).toBe('https://www.reddit.com/r/funny/comments/3skxqc/the_water_is_too_deep_so_he_improvises/');
    expect(posts[0].message.text).toContain('submitted by');
  });

  it('RDF craigslist: rdf:about ids, dc:date and dc:language', () => {
    const { posts } = replay('rss1-rdf-craigslist.xml');
    expect(posts[0].message.externalId).toBe('http://sfbay.craigslist.org/eby/apa/6186664607.html');
    expect(posts[0].lang).toBe('en-us');
  });

  it('Atom: heise (German, html content), GitHub (relative links), RFC 4287 minimal', () => {
    const heise = replay('atom-sample.xml');
    expect(heise.posts[0].message).toMatchObject({ externalId: 'http://heise.de/-3088438', sentAt: '2016-02-01T16:22:00.000Z' });
    expect(heise.posts[0].message.text.startsWith('Java-Anwendungsserver: Red Hat gibt WildFly 10 frei')).toBe(true);
    const github = replay('atom-github-releases.xml');
    expect(github.feed.items[0].link).toBe('https://feeds.example/gulpjs/gulp/releases/tag/v3.9.0');
    expect(github.posts[0].message.text).toBe('v3.9.0\n\n3.9.0');
    expect(github.posts[0].lang).toBe('en-us');
    const minimal = replay('atom-rfc4287-minimal.xml');
    expect(minimal.posts[0].message).toMatchObject({
      externalId: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
      text: 'Atom-Powered Robots Run Amok\n\nSome text.',
      author: { handle: 'John Doe' },
      sentAt: '2003-12-13T18:30:02.000Z',
    });
  });
});
