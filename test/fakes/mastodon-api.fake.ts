import { startFakeApiServer, bearerOf, stringField } from './platform-api.fake.ts';
import type { FakeApiServer, FakeAnswer } from './platform-api.fake.ts';

/**
 * A local Mastodon instance for the send side: `POST /api/v1/statuses` (form or JSON; `in_reply_to_id` must
 * exist; 500-character limit, counted as Mastodon does; `Idempotency-Key` answered with the same status for an hour, as Mastodon does) and
 * `GET /api/v2/search` resolving a status URI to its local id. Statuses are Mastodon's Status entity; errors are
 * `{"error": "…"}`.
 */
export interface FakeMastodonStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  visibility: string;
  uri: string;
  url: string;
  content: string;
  /** Plain text as the client sent it (not part of the entity; for assertions). */
  source: string;
  account: { id: string; username: string; acct: string; display_name: string; url: string };
  mentions: { id: string; username: string; acct: string; url: string }[];
}

export interface FakeMastodon extends FakeApiServer {
  /** Statuses the brand account posted, in order. */
  posted: FakeMastodonStatus[];
  /** A customer's status the instance knows; returns its local id. */
  addStatus(input: { id: string; acct: string; uri: string }): void;
  /** Moves the fake's clock (idempotency keys expire after an hour). */
  advance(ms: number): void;
}

const keyLifetimeMs = 60 * 60_000;

/** Mastodon's own count: every URL is 23 characters and a remote mention counts by its local part only. */
function countedLength(text: string): number {
  const normalised = text
    .replace(/https?:\/\/[^\s<>"]+/gi, 'x'.repeat(23))
    .replace(/(^|[^\p{L}\p{N}_/])@([a-z0-9_]+)@[a-z0-9.-]+\.[a-z]{2,}/giu, '$1@$2');
  return [...normalised].length;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function startFakeMastodon(options: { token: string; instance?: string }): Promise<FakeMastodon> {
  const instance = options.instance ?? 'social.example';
  const posted: FakeMastodonStatus[] = [];
  const known = new Map<string, { id: string; acct: string; uri: string }>();
  const keys = new Map<string, { status: FakeMastodonStatus; at: number }>();
  let offsetMs = 0;
  let nextId = 110000000000000000n;
  const brand = { id: '42', username: 'acme', acct: 'acme', display_name: 'Acme Support', url: `https://${instance}/@acme` };
  const error = (status: number, message: string): FakeAnswer => ({ status, body: { error: message } });

  const server = await startFakeApiServer((request) => {
    if (bearerOf(request) !== options.token) return error(401, 'The access token is invalid');
    const now = Date.now() + offsetMs;
    if (request.method === 'POST' && request.path === '/api/v1/statuses') {
      const key = request.headers['idempotency-key'];
      if (typeof key === 'string') {
        const seen = keys.get(key);
        if (seen && now - seen.at < keyLifetimeMs) return { status: 200, body: seen.status };
      }
      const text = stringField(request.body, 'status') ?? '';
      if (text.trim().length === 0) return error(422, "Validation failed: Text can't be blank");
      if (countedLength(text) > 500) return error(422, 'Validation failed: Text character limit of 500 exceeded');
      const inReplyTo = stringField(request.body, 'in_reply_to_id') ?? null;
      const parent = inReplyTo ? [...known.values()].find((s) => s.id === inReplyTo) ?? posted.find((s) => s.id === inReplyTo) : null;
      if (inReplyTo && !parent) return error(404, 'Record not found');
      const visibility = stringField(request.body, 'visibility') ?? 'public';
      if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) return error(422, 'Validation failed: Visibility is not included in the list');
      nextId += 1n;
      const id = nextId.toString();
      const mentions = [...text.matchAll(/@([\w.-]+(?:@[\w.-]+)?)/g)].map((m, i) => ({
        id: String(1000 + i), username: m[1].split('@')[0], acct: m[1], url: `https://${m[1].split('@')[1] ?? instance}/@${m[1].split('@')[0]}`,
      }));
      const status: FakeMastodonStatus = {
        id,
        created_at: new Date(now).toISOString(),
        in_reply_to_id: inReplyTo,
        in_reply_to_account_id: parent ? '7' : null,
        visibility,
        uri: `https://${instance}/users/acme/statuses/${id}`,
        url: `https://${instance}/@acme/${id}`,
        content: `<p>${escapeHtml(text)}</p>`,
        source: text,
        account: brand,
        mentions,
      };
      posted.push(status);
      if (typeof key === 'string') keys.set(key, { status, at: now });
      return { status: 200, body: status, headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299', 'x-ratelimit-reset': new Date(now + 3 * 3_600_000).toISOString() } };
    }
    if (request.method === 'GET' && request.path === '/api/v2/search') {
      const q = request.query.get('q') ?? '';
      const found = [...known.values()].filter((s) => s.uri === q);
      return { status: 200, body: { accounts: [], hashtags: [], statuses: found.map((s) => ({ id: s.id, uri: s.uri, url: s.uri, account: { acct: s.acct } })) } };
    }
    return error(404, 'Not found');
  });

  return {
    ...server,
    posted,
    addStatus(input) {
      known.set(input.id, input);
    },
    advance(ms) {
      offsetMs += ms;
    },
  };
}
