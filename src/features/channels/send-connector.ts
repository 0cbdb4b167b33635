import type { ChannelKind } from './channel.types.ts';

/**
 * The send side of Parley's connector contract. The outbox hands a connector one reply at a time with an
 * idempotency key (the reply id); the connector posts it on the platform, or — after a crash or an ambiguous
 * failure — first checks whether an earlier attempt already did (`reconcile`). Drivers translate every platform
 * failure into a SendError so the outbox decides retry, fail or "mark the channel failing" without knowing the
 * platform.
 */

/**
 * temporary: try again later (5xx, 429, network). auth / permission: the channel's credentials are revoked or lack
 * a scope; the reply fails and the channel is marked failing. rejected: the platform refused this reply (4xx) and
 * will refuse it again; the agent sees the platform's reason.
 */
export const sendErrorKinds = ['temporary', 'auth', 'permission', 'rejected'] as const;
export type SendErrorKind = (typeof sendErrorKinds)[number];

export class SendError extends Error {
  readonly kind: SendErrorKind;
  /** The platform asked for this wait (Retry-After, rate-limit reset). */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  /**
   * The request may have reached the platform and acted (timeout, connection reset, 5xx, unreadable success): the
   * next attempt must reconcile before sending again.
   */
  readonly ambiguous: boolean;

  constructor(
    kind: SendErrorKind,
    message: string,
    options: { retryAfterMs?: number; status?: number; ambiguous?: boolean; cause?: unknown } = {},
  ) {
    super(message.slice(0, 500), { cause: options.cause });
    this.name = 'SendError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** The channel as a sender sees it: settings and decrypted credentials. */
export interface SendChannel {
  workspaceId: string;
  id: string;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
}

/** The stored message a reply answers: the thread parent and, through its author, the recipient. */
export interface SendTarget {
  externalId: string;
  replyToExternalId: string | null;
  isPublic: boolean;
  text: string;
  sentAt: Date;
  /** The platform payload the listener stored (Bluesky cid and reply refs, Mastodon status, email headers). */
  raw: unknown;
  author: { platform: string; externalId: string; handle: string | null; displayName: string | null } | null;
}

export interface SendRequest {
  /** The idempotency key: the same reply is never posted twice under it. */
  replyId: string;
  /** When the reply was written; Bluesky derives the post's record key from it and the reply id. */
  createdAt: Date;
  text: string;
  private: boolean;
  channel: SendChannel;
  target: SendTarget | null;
  /** The case subject, for email's "Re: …". */
  subject: string;
  agentName: string;
  /** The newest message from the recipient on this channel (Messenger's 24-hour window). */
  lastInboundAt: Date | null;
  /** When the first delivery attempt started (Mastodon keeps idempotency keys for an hour). */
  firstAttemptAt: Date;
  now: Date;
  /**
   * For the second and later parts of a thread: the part before it, as recorded when it was sent (its platform id
   * and stored payload). The part is posted as a reply to it; `target` stays the customer's message (the thread's
   * conversation, and the recipient).
   */
  threadParent?: { externalId: string; raw: unknown } | null;
  /** An address to write to when the reply answers no message on its own channel (an email to a known address). */
  recipient?: string | null;
}

/** What the platform made of the reply. */
export interface SentPost {
  externalId: string;
  url: string | null;
  /** The text as posted (a mention the platform requires may have been added). */
  text: string;
  raw?: Record<string, unknown>;
}

export type ReconcileOutcome =
  /** An earlier attempt did post it. */
  | { state: 'sent'; post: SentPost }
  /** Sending (again) cannot produce a second post: it is not there, or the platform de-duplicates by key. */
  | { state: 'safe_to_send' }
  /** Parley cannot tell; an agent must look and confirm. */
  | { state: 'unknown'; reason: string };

export interface SendConnector {
  /** Posts the reply; throws SendError. */
  send(request: SendRequest, signal: AbortSignal): Promise<SentPost>;
  /** Finds out whether an earlier attempt of this reply reached the platform; throws SendError when it cannot ask. */
  reconcile(request: SendRequest, signal: AbortSignal): Promise<ReconcileOutcome>;
}

export interface SendDeps {
  /** Replaces global fetch (tests never need to: base URLs are configurable). */
  fetch?: typeof fetch;
}

/**
 * How a reply on a channel of this kind leaves Parley: by a send connector through the outbox, by the agent on the
 * site (blogs, forums, API channels: confirmed with a link), or logged as it happened (phone callbacks).
 */
export type DeliveryMode = 'connector' | 'manual' | 'logged';

export function deliveryModeOf(kind: ChannelKind): DeliveryMode {
  switch (kind) {
    case 'x':
    case 'bluesky':
    case 'mastodon':
    case 'facebook':
    case 'email':
    case 'webform':
      return 'connector';
    case 'phone':
      return 'logged';
    case 'rss':
    case 'api':
      return 'manual';
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown channel kind ${String(unreachable)}`);
    }
  }
}

/** Whether replies on this channel can be sent as a chain of posts, each answering the one before (a thread). */
export function supportsThreads(kind: ChannelKind): boolean {
  switch (kind) {
    case 'x':
    case 'bluesky':
    case 'mastodon':
      return true;
    case 'facebook':
    case 'email':
    case 'webform':
    case 'phone':
    case 'rss':
    case 'api':
      return false;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown channel kind ${String(unreachable)}`);
    }
  }
}

/** Whether the platform can carry a private reply on this channel (DM, direct status, Messenger, mail). */
export function supportsPrivateReply(kind: ChannelKind): boolean {
  switch (kind) {
    case 'x':
    case 'mastodon':
    case 'facebook':
    case 'email':
    case 'webform':
    case 'phone':
      return true;
    case 'bluesky':
    case 'rss':
    case 'api':
      return false;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown channel kind ${String(unreachable)}`);
    }
  }
}

// ---- HTTP helpers shared by the HTTP senders ----

const maxResponseBytes = 1024 * 1024;

/**
 * The wait a platform asked for: Retry-After (seconds or a date), X's `x-rate-limit-reset` (epoch seconds),
 * Mastodon's `x-ratelimit-reset` (an ISO time) and Bluesky's `ratelimit-reset` (epoch seconds; the IETF draft's
 * delta seconds are accepted too). Capped at an hour.
 */
export function platformWaitMs(headers: Headers, now: Date): number | undefined {
  const cap = (ms: number) => Math.min(Math.max(0, ms), 60 * 60_000);
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d{1,9}$/.test(retryAfter)) return cap(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return cap(at - now.getTime());
  }
  const reset = (headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))?.trim();
  if (!reset) return undefined;
  if (/^\d{1,12}$/.test(reset)) {
    const n = Number(reset);
    // Epoch seconds are past 1e9; anything smaller is a number of seconds to wait.
    return cap(n > 1_000_000_000 ? n * 1000 - now.getTime() : n * 1000);
  }
  const at = Date.parse(reset);
  return Number.isNaN(at) ? undefined : cap(at - now.getTime());
}

/**
 * The SendError for a non-2xx answer. 401 is the credentials; 403 a missing permission unless `forbiddenIsRejection`
 * says the platform refused this one post; 429 and 5xx are temporary (5xx may have acted: ambiguous); other 4xx
 * reject the reply with the platform's own words.
 */
export function sendErrorOfStatus(
  platform: string,
  status: number,
  headers: Headers,
  platformMessage: string | null,
  now: Date,
  options: { forbiddenIsRejection?: boolean } = {},
): SendError {
  const said = platformMessage ? `: ${platformMessage}` : '';
  const retryAfterMs = platformWaitMs(headers, now);
  if (status === 429) return new SendError('temporary', `${platform} rate limit reached (HTTP 429)${said}`, { status, retryAfterMs });
  if (status >= 500) return new SendError('temporary', `${platform} answered HTTP ${status}${said}`, { status, retryAfterMs, ambiguous: true });
  if (status === 401) return new SendError('auth', `${platform} rejected the channel's credentials (HTTP 401)${said}`, { status });
  if (status === 403 && !options.forbiddenIsRejection) {
    return new SendError('permission', `${platform} refused the channel permission (HTTP 403)${said}`, { status });
  }
  return new SendError('rejected', `${platform} refused the reply (HTTP ${status})${said}`, { status });
}

/** A fetch that failed without an answer. Only a refused connection proves the request never arrived. */
export function sendErrorOfFetchFailure(platform: string, error: unknown): SendError {
  if (error instanceof SendError) return error;
  const code = causeCode(error);
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const message = error instanceof Error ? (code ? `${error.message} (${code})` : error.message) : String(error);
  return new SendError('temporary', `${platform} could not be reached: ${message}`, { ambiguous: !refused, cause: error });
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code: unknown = Reflect.get(current, 'code');
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One JSON request to a platform. Network failures become SendErrors; any HTTP status is returned for the driver
 * to judge (its error bodies differ). A body that cannot be read on a 2xx is ambiguous: the post may exist.
 */
export async function requestJson(
  platform: string,
  deps: SendDeps,
  url: URL,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; json?: unknown; form?: URLSearchParams; signal: AbortSignal },
): Promise<HttpAnswer> {
  const doFetch = deps.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = init.form.toString();
  }
  let response: Response;
  try {
    response = await doFetch(url, { method: init.method, headers, body, signal: init.signal, redirect: 'error' });
  } catch (error) {
    throw sendErrorOfFetchFailure(platform, error);
  }
  let text: string;
  try {
    text = await readTextLimited(response);
  } catch (error) {
    const ok = response.status >= 200 && response.status < 300;
    throw new SendError('temporary', `${platform}'s answer could not be read`, { ambiguous: ok || response.status >= 500, cause: error });
  }
  let parsed: unknown = null;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text.slice(0, 300);
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

async function readTextLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxResponseBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`response is over ${maxResponseBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** A string setting of a channel's config, with a default. */
export function configString(config: Record<string, unknown>, key: string, fallback: string): string {
  const value = config[key];
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/** A base URL from config; an unusable one is the channel's configuration problem, shown on the reply. */
export function configUrl(config: Record<string, unknown>, key: string, fallback: string, platform: string): URL {
  const text = configString(config, key, fallback);
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    return url;
  } catch {
    throw new SendError('rejected', `${platform} channel setting ${key} is not an http(s) URL`);
  }
}

/** A credential the channel must carry for sending; missing is an auth problem of the channel. */
export function requireCredential(channel: SendChannel, names: readonly string[], platform: string): string {
  for (const name of names) {
    const value = channel.credentials[name];
    if (value) return value;
  }
  throw new SendError('auth', `the ${platform} channel has no ${names.join(' or ')} credential for sending`);
}

/** URL joining that keeps a base path (`https://host/prefix/` + `api/v1/statuses`). */
export function joinUrl(base: URL, path: string): URL {
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${prefix}${path.replace(/^\//, '')}${base.search}`, base.origin);
}
