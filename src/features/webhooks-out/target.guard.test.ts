import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { BlockedTargetError, checkTargetUrl, guardedLookup, isPrivateAddress } from './target.guard.ts';
import type { Resolver } from './target.guard.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false],
    ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true],
    ['8.8.8.8', false], ['93.184.216.34', false],
    ['::1', true], ['::', true], ['fc00::1', true], ['fd12:3456::1', true], ['fe80::1', true], ['ff02::1', true],
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:8.8.8.8', false], ['64:ff9b::10.0.0.1', true],
    ['2606:4700:4700::1111', false], ['example.com', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('checkTargetUrl', () => {
  const refused = (url: string, allowPrivate = false) => {
    try {
      checkTargetUrl(url, allowPrivate);
    } catch (error) {
      return error instanceof AppError ? `${error.status} ${error.message}` : 'other error';
    }
    return 'accepted';
  };

  it.each([
    ['ftp://example.com/hook', /must be http or https/],
    ['file:///etc/passwd', /must be http or https/],
    ['javascript:alert(1)', /must be http or https/],
    ['not a url', /not a valid absolute URL/],
    ['https://user:pw@example.com/hook', /user name or password/],
    ['http://127.0.0.1:8080/hook', /private or loopback/],
    ['http://localhost/hook', /private or loopback/],
    ['http://api.localhost/hook', /private or loopback/],
    ['http://[::1]/hook', /private or loopback/],
    ['http://169.254.169.254/latest/meta-data', /private or loopback/],
    ['http://[::ffff:10.0.0.1]/', /private or loopback/],
  ])('refuses %s', (url, reason) => {
    expect(refused(url)).toMatch(/^422 /);
    expect(refused(url)).toMatch(reason);
  });

  it('accepts public http(s) URLs, and private ones when allowed', () => {
    expect(refused('https://hooks.example.com/parley')).toBe('accepted');
    expect(refused('http://93.184.216.34:8080/x')).toBe('accepted');
    expect(refused('http://127.0.0.1:8080/hook', true)).toBe('accepted');
    expect(refused('ftp://127.0.0.1/hook', true)).toMatch(/must be http or https/);
  });
});

describe('guardedLookup', () => {
  const resolverFor = (addresses: { address: string; family: number }[]): Resolver => (_host, _options, callback) => callback(null, addresses);
  const lookup = (allowPrivate: boolean, addresses: { address: string; family: number }[]) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      guardedLookup(allowPrivate, resolverFor(addresses))('hooks.example.com', {}, (error, address) => resolve({ error, address }));
    });

  it('connects to a public address it resolved', async () => {
    expect(await lookup(false, [{ address: '93.184.216.34', family: 4 }])).toEqual({ error: null, address: '93.184.216.34' });
  });

  it('refuses a name that resolves to a private address (DNS pointing inside), even among public ones', async () => {
    const { error } = await lookup(false, [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }]);
    expect(error).toBeInstanceOf(BlockedTargetError);
    expect(error?.message).toMatch(/resolves to 10\.0\.0\.7/);
  });

  it('lets private addresses through when the operator allows them', async () => {
    expect(await lookup(true, [{ address: '10.0.0.7', family: 4 }])).toEqual({ error: null, address: '10.0.0.7' });
  });
});
