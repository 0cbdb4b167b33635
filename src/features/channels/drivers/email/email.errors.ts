import { ConnectorError } from '../../connector.ts';

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN', 'NoConnection', 'ETIMEOUT', 'ESOCKET', 'ECONNECTION', 'EDNS']);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? (error as Record<string, unknown>)[name] : undefined;
}

/** IMAP (imapflow) and SMTP (nodemailer) failures in Parley's terms; messages never carry passwords or bodies. */
export function emailConnectorError(error: unknown, server: 'IMAP' | 'SMTP'): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const code = String(field(error, 'code') ?? '');
  const responseCode = String(field(error, 'serverResponseCode') ?? field(error, 'responseCode') ?? '');
  const text = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  if (field(error, 'authenticationFailed') === true || code === 'EAUTH' || responseCode === 'AUTHENTICATIONFAILED' || responseCode === '535') {
    return new ConnectorError('auth', `the ${server} server rejected the user name or password`, { cause: error });
  }
  if (networkCodes.has(code)) return new ConnectorError('network', `cannot reach the ${server} server (${code})`, { cause: error });
  if (responseCode === 'NONEXISTENT' || /mailbox doesn't exist|unknown mailbox/i.test(text)) {
    return new ConnectorError('config', `the ${server} mailbox does not exist`, { cause: error });
  }
  if (code === 'EENVELOPE') return new ConnectorError('permission', `the ${server} server refused the recipient or sender: ${text}`, { cause: error });
  return new ConnectorError('protocol', `${server} error: ${text}`, { cause: error });
}
