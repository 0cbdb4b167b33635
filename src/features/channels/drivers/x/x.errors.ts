import { ConnectorError } from '../../connector.ts';

/**
 * X's in-stream error messages (`{"errors":[{"title":"operational-disconnect",…}]}`) in Parley's terms. The stream
 * ends after them; the connector reconnects on the matching schedule.
 */
export function connectorErrorOfStreamError(title: string, detail: string): ConnectorError {
  const text = `${title} ${detail}`.toLowerCase();
  if (text.includes('toomanyconnections') || text.includes('too many connections') || text.includes('rate')) {
    return new ConnectorError('rate_limit', `X: ${title}`.slice(0, 300));
  }
  if (text.includes('unauthorized') || text.includes('authentication')) return new ConnectorError('auth', `X: ${title}`.slice(0, 300));
  if (text.includes('forbidden') || text.includes('client-forbidden') || text.includes('not permitted')) {
    return new ConnectorError('permission', `X: ${title}`.slice(0, 300));
  }
  return new ConnectorError('network', `X ended the stream: ${title}${detail ? ` (${detail.slice(0, 160)})` : ''}`);
}
