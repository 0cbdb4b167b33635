import { describe, expect, it } from 'vitest';
import { parseRule } from './rule.parser.ts';
import { toXStreamRule } from './x-rule.translator.ts';

function xRule(query: string, maxLength?: number) {
  const parsed = parseRule(query);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return toXStreamRule(parsed.rule, maxLength);
}

describe('toXStreamRule', () => {
  it('writes each operator in X syntax', () => {
    expect(xRule('Acme "Router Died" #Outage @AcmeHelp from:Bob url:acme.com/help lang:pt is:reply -is:repost')).toEqual({
      ok: true,
      value: 'acme "router died" #outage @acmehelp from:bob url:"acme.com/help" lang:pt is:reply -is:retweet',
      exact: true,
    });
  });

  it('groups every OR and AND that sits inside another operator', () => {
    expect(xRule('(acme OR brightwave) (router OR modem) -(spam OR giveaway)')).toEqual({
      ok: true, value: '(acme OR brightwave) (router OR modem) -(spam OR giveaway)', exact: true,
    });
    expect(xRule('acme router OR brightwave modem')).toMatchObject({ value: '(acme router) OR (brightwave modem)' });
  });

  it('widens what X cannot express instead of losing posts', () => {
    // a fediverse handle: left out of an AND (X sends more), and an OR containing it cannot be narrowed at all
    expect(xRule('acme from:alice@mastodon.social')).toEqual({ ok: true, value: 'acme', exact: false });
    expect(xRule('acme OR from:alice@mastodon.social')).toMatchObject({ ok: false, reason: expect.stringContaining('firehose') });
    // excluding an approximation would drop wanted posts, so the exclusion goes
    expect(xRule('acme -(router from:alice@mastodon.social)')).toEqual({ ok: true, value: 'acme', exact: false });
  });

  it('refuses rules X would refuse, with the reason', () => {
    expect(xRule('lang:en is:reply')).toMatchObject({ ok: false, reason: expect.stringContaining('X needs a keyword') });
    expect(xRule('-spam')).toMatchObject({ ok: false, reason: expect.stringContaining('X needs a keyword') });
    expect(xRule('acme OR lang:en')).toMatchObject({ ok: false, reason: expect.stringContaining('X needs a keyword') });
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' OR ');
    expect(xRule(long)).toMatchObject({ ok: false, reason: expect.stringMatching(/X allows 512$/) });
    expect(xRule(long, 1024)).toMatchObject({ ok: true });
  });
});
