import { createHash } from 'node:crypto';
import { startFakeApiServer, bearerOf, stringField } from './platform-api.fake.ts';
import type { FakeApiServer, FakeRequest, FakeAnswer } from './platform-api.fake.ts';

/**
 * A local Bluesky PDS (with the AppView's getPosts proxied, as a real PDS does) for the send side: XRPC
 * `com.atproto.server.createSession`, `com.atproto.repo.createRecord` (TID record keys, post records validated
 * for text length, strong reply refs and facet byte ranges; a key already written is refused), `com.atproto.repo.getRecord`
 * (RecordNotFound as a 400) and `app.bsky.feed.getPosts`. Errors are XRPC's `{error, message}`.
 */
export interface FakeBlueskyRecord {
  uri: string;
  cid: string;
  value: Record<string, unknown>;
}

export interface FakeBluesky extends FakeApiServer {
  did: string;
  /** Records the brand account created, by URI. */
  created: Map<string, FakeBlueskyRecord>;
  /** Other people's posts the AppView knows (getPosts). */
  addPost(uri: string, record: Record<string, unknown>): { uri: string; cid: string };
  /** Access tokens issued so far stop working (ExpiredToken). */
  expireTokens(): void;
  sessionsCreated: number;
}

const tid = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

function cidOf(value: unknown): string {
  return `bafyrei${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 52)}`;
}

const xrpcError = (status: number, error: string, message: string): FakeAnswer => ({ status, body: { error, message } });

function graphemes(text: string): number {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
}

function isStrongRef(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const uri: unknown = Reflect.get(value, 'uri');
  const cid: unknown = Reflect.get(value, 'cid');
  return typeof uri === 'string' && uri.startsWith('at://') && typeof cid === 'string' && cid.length > 0;
}

/** Rich-text facets: UTF-8 byte ranges inside the text, each with at least one feature (a link must be a URI). */
function validFacets(facets: unknown, text: string): boolean {
  if (!Array.isArray(facets)) return false;
  const size = Buffer.byteLength(text, 'utf8');
  return facets.every((facet: unknown) => {
    if (typeof facet !== 'object' || facet === null) return false;
    const index: unknown = Reflect.get(facet, 'index');
    const features: unknown = Reflect.get(facet, 'features');
    if (typeof index !== 'object' || index === null || !Array.isArray(features) || features.length === 0) return false;
    const start: unknown = Reflect.get(index, 'byteStart');
    const end: unknown = Reflect.get(index, 'byteEnd');
    if (!Number.isInteger(start) || !Number.isInteger(end) || Number(start) < 0 || Number(start) >= Number(end) || Number(end) > size) return false;
    return features.every((f: unknown) => {
      if (typeof f !== 'object' || f === null) return false;
      const type: unknown = Reflect.get(f, '$type');
      const uri: unknown = Reflect.get(f, 'uri');
      return type !== 'app.bsky.richtext.facet#link' || (typeof uri === 'string' && URL.canParse(uri));
    });
  });
}

export async function startFakeBluesky(options: { identifier: string; password: string; did?: string }): Promise<FakeBluesky> {
  const did = options.did ?? 'did:plc:brandacct000000000000001';
  const created = new Map<string, FakeBlueskyRecord>();
  const known = new Map<string, FakeBlueskyRecord>();
  const tokens = new Set<string>();
  const expired = new Set<string>();
  let sessions = 0;

  const authorised = (request: FakeRequest): FakeAnswer | null => {
    const token = bearerOf(request);
    if (!token) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
    if (expired.has(token)) return xrpcError(400, 'ExpiredToken', 'Token has expired');
    if (!tokens.has(token)) return xrpcError(401, 'InvalidToken', 'Token could not be verified');
    return null;
  };

  const server = await startFakeApiServer((request) => {
    switch (`${request.method} ${request.path}`) {
      case 'POST /xrpc/com.atproto.server.createSession': {
        if (stringField(request.body, 'identifier') !== options.identifier || stringField(request.body, 'password') !== options.password) {
          return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
        }
        sessions += 1;
        const accessJwt = `access-${sessions}-${Math.random().toString(36).slice(2)}`;
        tokens.add(accessJwt);
        return { status: 200, body: { did, handle: options.identifier, accessJwt, refreshJwt: `refresh-${sessions}`, active: true } };
      }
      case 'POST /xrpc/com.atproto.repo.createRecord': {
        const denied = authorised(request);
        if (denied) return denied;
        if (request.body.repo !== did) return xrpcError(400, 'InvalidRequest', 'Input/repo must be the authenticated account');
        const collection = stringField(request.body, 'collection');
        const rkey = stringField(request.body, 'rkey');
        const record = request.body.record;
        if (collection !== 'app.bsky.feed.post') return xrpcError(400, 'InvalidRequest', 'unsupported collection');
        if (!rkey || !tid.test(rkey)) return xrpcError(400, 'InvalidRequest', 'Invalid record key: must be a TID');
        if (typeof record !== 'object' || record === null) return xrpcError(400, 'InvalidRequest', 'Input/record must be an object');
        const value: Record<string, unknown> = Object.fromEntries(Object.entries(record));
        if (value.$type !== collection) return xrpcError(400, 'InvalidRequest', 'Invalid $type');
        if (typeof value.text !== 'string') return xrpcError(400, 'InvalidRequest', 'Record/text must be a string');
        if (graphemes(value.text) > 300) {
          return xrpcError(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes');
        }
        const reply = value.reply;
        if (reply !== undefined && (typeof reply !== 'object' || reply === null || !isStrongRef(Reflect.get(reply, 'root')) || !isStrongRef(Reflect.get(reply, 'parent')))) {
          return xrpcError(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/reply must have root and parent strong refs');
        }
        if (value.facets !== undefined && !validFacets(value.facets, value.text)) {
          return xrpcError(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/facets must be byte ranges of the text with features');
        }
        const uri = `at://${did}/${collection}/${rkey}`;
        if (created.has(uri)) return xrpcError(400, 'InvalidRequest', `Record already exists: ${uri}`);
        const cid = cidOf(value);
        created.set(uri, { uri, cid, value });
        return { status: 200, body: { uri, cid, commit: { cid: cidOf(uri), rev: rkey }, validationStatus: 'valid' } };
      }
      case 'GET /xrpc/com.atproto.repo.getRecord': {
        const uri = `at://${request.query.get('repo') ?? ''}/${request.query.get('collection') ?? ''}/${request.query.get('rkey') ?? ''}`;
        const record = created.get(uri) ?? known.get(uri);
        if (!record) return xrpcError(400, 'RecordNotFound', `Could not locate record: ${uri}`);
        return { status: 200, body: { uri: record.uri, cid: record.cid, value: record.value } };
      }
      case 'GET /xrpc/app.bsky.feed.getPosts': {
        const denied = authorised(request);
        if (denied) return denied;
        const posts = request.query.getAll('uris').flatMap((uri) => {
          const record = known.get(uri) ?? created.get(uri);
          if (!record) return [];
          return [{ uri, cid: record.cid, author: { did: uri.split('/')[2], handle: 'someone.example' }, record: record.value, indexedAt: new Date().toISOString() }];
        });
        return { status: 200, body: { posts } };
      }
      default:
        return xrpcError(404, 'MethodNotImplemented', `Method Not Implemented: ${request.path}`);
    }
  });

  return {
    ...server,
    did,
    created,
    addPost(uri, record) {
      const cid = cidOf({ uri, record });
      known.set(uri, { uri, cid, value: { $type: 'app.bsky.feed.post', ...record } });
      return { uri, cid };
    },
    expireTokens() {
      for (const token of tokens) expired.add(token);
    },
    get sessionsCreated() {
      return sessions;
    },
  };
}
