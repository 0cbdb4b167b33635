import { ConnectorError } from '../../connector.ts';

/** Streaming close codes and in-stream errors in Parley's terms. */
export function connectorErrorOfClose(code: number, reason: string): ConnectorError {
  const detail = reason ? `: ${reason.slice(0, 120)}` : '';
  if (code === 1008 || code === 4001) return new ConnectorError('auth', `Mastodon refused the stream${detail}`, { status: code });
  if (code === 1013) return new ConnectorError('rate_limit', `Mastodon is overloaded${detail}`, { status: code });
  return new ConnectorError('network', `Mastodon closed the stream (code ${code})${detail}`, { status: code });
}

export function connectorErrorOfStreamError(message: string, status: number | null): ConnectorError {
  if (status === 401 || /token|unauthori[sz]ed/i.test(message)) return new ConnectorError('auth', `Mastodon: ${message}`.slice(0, 300));
  if (status === 403) return new ConnectorError('permission', `Mastodon: ${message}`.slice(0, 300));
  if (status === 429) return new ConnectorError('rate_limit', `Mastodon: ${message}`.slice(0, 300));
  return new ConnectorError('protocol', `Mastodon: ${message}`.slice(0, 300));
}
