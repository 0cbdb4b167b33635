import { ConnectorError } from '../../connector.ts';

/** A feed that cannot be read as RSS or Atom: a protocol failure of that one feed, retried at its next poll. */
export function feedFormatError(message: string): ConnectorError {
  return new ConnectorError('protocol', message);
}

export function feedTimeoutError(timeoutMs: number): ConnectorError {
  return new ConnectorError('network', `the feed did not answer within ${Math.round(timeoutMs / 1000)} s`);
}
