import { ConnectorError } from '../../connector.ts';
import { parseRetryAfterMs } from '../../connector.backoff.ts';

/** Translates a non-2xx HTTP status into Parley's failure reasons; the message never includes the body. */
export function connectorErrorOfStatus(platform: string, status: number, headers: Headers, now: Date): ConnectorError {
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), now) ?? rateLimitResetMs(headers, now);
  if (status === 401) return new ConnectorError('auth', `${platform} rejected the credentials (HTTP 401)`, { status });
  if (status === 403) return new ConnectorError('permission', `${platform} refused access (HTTP 403)`, { status });
  if (status === 429) return new ConnectorError('rate_limit', `${platform} rate limit reached (HTTP 429)`, { status, retryAfterMs });
  if (status === 404 || status === 410) return new ConnectorError('config', `${platform} endpoint not found (HTTP ${status})`, { status });
  return new ConnectorError('network', `${platform} answered HTTP ${status}`, { status, retryAfterMs });
}

/** `x-rate-limit-reset` / `x-ratelimit-reset`: epoch seconds (X) or an ISO time (Mastodon). */
function rateLimitResetMs(headers: Headers, now: Date): number | undefined {
  const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset');
  if (!reset) return undefined;
  const at = /^\d{9,11}$/.test(reset) ? Number(reset) * 1000 : Date.parse(reset);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now.getTime()), 60 * 60_000);
}

/** Any thrown value as a ConnectorError: network failures of fetch/ws become `network`. */
export function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('network', message.slice(0, 300), { cause: error });
}
