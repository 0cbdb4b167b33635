import dns from 'node:dns';
import net from 'node:net';
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import { AppError } from '../../platform/errors.ts';

// Where a webhook must never be sent from a production server unless an operator allows it: loopback, private,
// link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, benchmarking, multicast, reserved, and the
// IPv6 equivalents. IPv4-mapped and NAT64 IPv6 addresses are checked as the IPv4 address they carry.
const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) blocked.addSubnet(network, prefix, 'ipv6');

function embeddedIpv4(ipv6: string): string | null {
  const lower = ipv6.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return mapped[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address a webhook may not reach unless private targets are allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    return v4 !== null ? blocked.check(v4, 'ipv4') : blocked.check(address, 'ipv6');
  }
  return false;
}

function invalidUrl(message: string): AppError {
  return new AppError('validation_failed', message, [{ path: 'url', message }]);
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks a subscription URL: http or https only, no user name or password in it, and — unless private targets are
 * allowed — no literal private address or `localhost`. Host names are checked again at every delivery, on the
 * addresses they resolve to then (a name can be pointed elsewhere later).
 */
export function checkTargetUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidUrl('url is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl('url must be http or https');
  if (url.username || url.password) throw invalidUrl('url must not carry a user name or password; the signature authenticates Parley');
  const host = hostOf(url).toLowerCase();
  if (host === '') throw invalidUrl('url has no host');
  if (!allowPrivate && (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost'))) {
    throw invalidUrl('url points at a private or loopback address, which this server does not allow (PARLEY_WEBHOOK_ALLOW_PRIVATE)');
  }
  return url;
}

/** Raised while connecting when the target resolves to an address that is not allowed. */
export class BlockedTargetError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private address this server does not send webhooks to`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Resolves a host name to all its addresses (the system resolver; tests hand in their own). */
export type Resolver = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for http.request that resolves the host and refuses private addresses before the socket connects to
 * exactly the address checked, so a name cannot be re-pointed between the check and the connection.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) {
        callback(new BlockedTargetError(hostname, bad.address), []);
        return;
      }
      if (options.all) callback(null, list);
      else if (list[0]) callback(null, list[0].address, list[0].family);
      else callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    });
  };
}
