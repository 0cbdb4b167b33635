import { describe, expect, it } from 'vitest';
import { linkFacetsOf } from './bluesky.sender.ts';

const link = (byteStart: number, byteEnd: number, uri: string) => ({
  index: { byteStart, byteEnd },
  features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
});

describe('linkFacetsOf', () => {
  it.each([
    ['no link here', []],
    ['see https://a.example/p/abc', [link(4, 27, 'https://a.example/p/abc')]],
    // Offsets are UTF-8 bytes: "é" is 2 bytes, the emoji 4.
    ['é 👋 https://a.example', [link(8, 25, 'https://a.example')]],
    ['go to https://a.example/x. Thanks', [link(6, 25, 'https://a.example/x')]],
    ['(https://a.example/x)', [link(1, 20, 'https://a.example/x')]],
    ['https://a.example/wiki/Foo_(bar)', [link(0, 32, 'https://a.example/wiki/Foo_(bar)')]],
    ['https://a.example and http://b.example/q?x=1', [link(0, 17, 'https://a.example'), link(22, 44, 'http://b.example/q?x=1')]],
    ['broken http:// here', []],
  ])('%s', (text, expected) => {
    expect(linkFacetsOf(text)).toEqual(expected);
  });

  it('covers exactly the URL bytes of the text', () => {
    const text = 'Désolé — continuez ici : https://care.acme.example/p/abcdefghijklmnopqrstuvwxyz';
    const [facet] = linkFacetsOf(text);
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString('utf8')).toBe('https://care.acme.example/p/abcdefghijklmnopqrstuvwxyz');
  });
});
