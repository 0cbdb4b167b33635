import http from 'node:http';
import https from 'node:https';
import { checkTargetUrl, guardedLookup } from './target.guard.ts';

/** How one delivery attempt ended. */
export type SendOutcome =
  | { kind: 'delivered'; status: number }
  /** Worth trying again: a network error, a timeout, 5xx, 408 or 429 (with the receiver's Retry-After, if any). */
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs?: number }
  /** Trying again would not help: another status, or a target this server may not reach. */
  | { kind: 'rejected'; status: number | null; error: string };

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  now: Date;
}

const maxReadBytes = 64 * 1024;

/** Seconds or an HTTP date, as Retry-After allows; capped at a day. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header) - now.getTime();
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 86_400_000) : undefined;
}

export function classifyStatus(status: number, retryAfter: string | undefined, now: Date): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status >= 500 || status === 429 || status === 408) {
    return { kind: 'retry', status, error: `HTTP ${status}`, retryAfterMs: retryAfterMs(retryAfter, now) };
  }
  return { kind: 'rejected', status, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` };
}

/**
 * Posts one signed delivery. Redirects are not followed and the response body is read only to free the socket.
 * The connection goes to an address the SSRF guard checked (literal addresses here, resolved names in the lookup).
 */
export function sendWebhook(request: SendRequest): Promise<SendOutcome> {
  let url: URL;
  try {
    url = checkTargetUrl(request.url, request.allowPrivate);
  } catch (error) {
    return Promise.resolve({ kind: 'rejected', status: null, error: error instanceof Error ? error.message : String(error) });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'Parley-Webhooks/1',
        },
        lookup: guardedLookup(request.allowPrivate),
        timeout: request.timeoutMs,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxReadBytes) res.destroy();
        });
        const settle = () => {
          const retryAfter = res.headers['retry-after'];
          resolve(classifyStatus(res.statusCode ?? 0, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, request.now));
        };
        res.on('end', settle);
        res.on('close', settle);
        res.on('error', settle);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EWEBHOOKBLOCKED') resolve({ kind: 'rejected', status: null, error: error.message });
      else resolve({ kind: 'retry', status: null, error: `${error.code ?? 'network error'}: ${error.message}` });
    });
    req.end(request.body);
  });
}
