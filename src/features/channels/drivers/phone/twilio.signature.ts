import crypto from 'node:crypto';

/**
 * Twilio request validation (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth token, over the
 * full URL Twilio requested followed by every POST parameter's name and value, sorted by name. JSON bodies are not
 * signed as parameters: Twilio appends `bodySHA256=<hex sha256 of the body>` to the URL and signs the URL alone.
 */

export type TwilioParams = Record<string, string | string[]>;

export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...value].sort() : [value];
    for (const v of values) data += name + v;
  }
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * The URL as signed with and without its default port: Twilio's signer is not consistent about `:443`/`:80`, so its
 * own validators accept either form.
 */
export function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : null;
  if (!defaultPort) return [url];
  // An explicit non-default port is part of what Twilio signed; only the default port is ambiguous.
  if (parsed.port) return [url];
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  const withoutPort = `${parsed.protocol}//${auth}${parsed.hostname}${rest}`;
  const withPort = `${parsed.protocol}//${auth}${parsed.hostname}:${defaultPort}${rest}`;
  return [...new Set([url, withoutPort, withPort])];
}

function equalSignatures(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export interface TwilioRequest {
  /** The full URL Twilio requested, including the query string. */
  url: string;
  signature: string | undefined;
  /** Form parameters, for application/x-www-form-urlencoded bodies. */
  params?: TwilioParams;
  /** The raw body, for JSON bodies (checked against the URL's bodySHA256). */
  rawBody?: string;
}

/** True when the request carries a valid signature for this auth token (form or JSON body). */
export function validateTwilioRequest(authToken: string, request: TwilioRequest): boolean {
  const signature = request.signature?.trim();
  if (!signature || !authToken) return false;
  let params: TwilioParams = request.params ?? {};
  if (request.rawBody !== undefined) {
    const bodyHash = bodySha256Of(request.url);
    if (!bodyHash) return false;
    const actual = crypto.createHash('sha256').update(request.rawBody, 'utf8').digest('hex');
    if (!equalSignatures(actual, bodyHash.toLowerCase())) return false;
    params = {};
  }
  return urlVariants(request.url).some((url) => equalSignatures(twilioSignature(authToken, url, params), signature));
}

function bodySha256Of(url: string): string | null {
  try {
    return new URL(url).searchParams.get('bodySHA256');
  } catch {
    return null;
  }
}
