import { ConnectorError } from '../../connector.ts';

/** WebSocket close codes from Jetstream in Parley's terms. */
export function connectorErrorOfClose(code: number, reason: string): ConnectorError {
  const detail = reason ? `: ${reason.slice(0, 120)}` : '';
  if (code === 1008) return new ConnectorError('permission', `Jetstream closed the connection as a policy violation${detail}`, { status: code });
  if (code === 1009) return new ConnectorError('protocol', `Jetstream sent a frame over the size limit`, { status: code });
  if (code === 1013) return new ConnectorError('rate_limit', `Jetstream is overloaded, try again later${detail}`, { status: code });
  return new ConnectorError('network', `Jetstream closed the connection (code ${code})${detail}`, { status: code });
}
