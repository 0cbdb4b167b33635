import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ReconcileOutcome, SendConnector, SendDeps, SendRequest, SentPost } from '../../send-connector.ts';
import { SendError, configUrl, configString, joinUrl, requestJson, requireCredential, sendErrorOfStatus } from '../../send-connector.ts';
import type { HttpAnswer } from '../../send-connector.ts';

/**
 * Bluesky replies through XRPC: `com.atproto.server.createSession` (an app password), then
 * `com.atproto.repo.createRecord` of an `app.bsky.feed.post` with `reply.root` and `reply.parent` strong refs (a
 * thread's later part answers the previous part, under the same root) and a link facet for every URL.
 *
 * Exactly once: the record key is derived from the reply id and its creation time, so every attempt writes the same
 * `at://` URI. Reconciling is a `getRecord` of that key; a create that is refused is checked the same way.
 */

const platform = 'Bluesky';
const postCollection = 'app.bsky.feed.post';

const strongRef = z.object({ uri: z.string().startsWith('at://').max(8192), cid: z.string().min(1).max(256) });
type StrongRef = z.infer<typeof strongRef>;
const replyRefs = z.object({ root: strongRef, parent: strongRef });

const sessionSchema = z.object({ accessJwt: z.string().min(1), did: z.string().startsWith('did:'), handle: z.string().optional() });
const createdSchema = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });
const recordSchema = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1).optional(), value: z.unknown() });
const postsSchema = z.object({
  posts: z.array(z.object({ uri: z.string(), cid: z.string().min(1), record: z.object({ reply: replyRefs.optional() }).loose() })),
});
const xrpcErrorSchema = z.object({ error: z.string().max(200).optional(), message: z.string().max(1000).optional() });

const sortableAlphabet = '234567abcdefghijklmnopqrstuvwxyz';

function base32Sortable(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = sortableAlphabet[Number(rest % 32n)] + out;
    rest /= 32n;
  }
  return out;
}

/**
 * The post's record key: a TID (the key type app.bsky.feed.post requires) whose microseconds come from the reply's
 * creation time and whose low bits and clock id come from a hash of the reply id — the same for every attempt.
 */
export function recordKeyOfReply(replyId: string, createdAt: Date): string {
  const hash = createHash('sha256').update(replyId).digest();
  const micros = BigInt(createdAt.getTime()) * 1000n + BigInt(hash.readUInt16BE(0) % 1000);
  const clockId = BigInt(hash.readUInt16BE(2) % 1024);
  return base32Sortable(micros, 11) + base32Sortable(clockId, 2);
}

const linkPattern = /https?:\/\/[^\s<>"]+/g;

export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: 'app.bsky.richtext.facet#link'; uri: string }];
}

/**
 * Bluesky shows a link as a link only where a rich-text facet marks it, by UTF-8 byte offsets into the text; a URL
 * without one is dead text. Trailing punctuation is left out of the link, as people read it.
 */
export function linkFacetsOf(text: string): LinkFacet[] {
  const facets: LinkFacet[] = [];
  for (const match of text.matchAll(linkPattern)) {
    let uri = match[0].replace(/[.,;:!?'"]+$/, '');
    if (uri.endsWith(')') && !uri.includes('(')) uri = uri.slice(0, -1).replace(/[.,;:!?'"]+$/, '');
    if (!URL.canParse(uri)) continue;
    const byteStart = Buffer.byteLength(text.slice(0, match.index), 'utf8');
    facets.push({
      index: { byteStart, byteEnd: byteStart + Buffer.byteLength(uri, 'utf8') },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
    });
  }
  return facets;
}

function errorOf(answer: HttpAnswer, now: Date): SendError {
  const parsed = xrpcErrorSchema.safeParse(answer.body);
  const said = parsed.success ? [parsed.data.error, parsed.data.message].filter(Boolean).join(': ') : null;
  const code = parsed.success ? parsed.data.error : undefined;
  if (code === 'ExpiredToken' || code === 'InvalidToken' || code === 'AuthenticationRequired') {
    return new SendError('auth', `Bluesky rejected the session: ${said ?? code}`, { status: answer.status });
  }
  if (code === 'AccountTakedown' || code === 'AccountDeactivated') {
    return new SendError('permission', `Bluesky account cannot post: ${said ?? code}`, { status: answer.status });
  }
  return sendErrorOfStatus(platform, answer.status, answer.headers, said || null, now);
}

const ok = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

interface Session {
  accessJwt: string;
  did: string;
}

/** Where a stored post keeps its cid and its thread root: our listener's raw shape or a whole Jetstream event. */
function refsFromRaw(raw: unknown): { cid: string | null; root: StrongRef | null; isReply: boolean | null } {
  const candidates = z
    .object({
      cid: z.string().min(1).nullish(),
      reply: replyRefs.optional(),
      replyRoot: strongRef.optional(),
      record: z.object({ reply: replyRefs.optional() }).loose().optional(),
      commit: z.object({ cid: z.string().min(1).optional(), record: z.object({ reply: replyRefs.optional() }).loose().optional() }).loose().optional(),
    })
    .loose()
    .safeParse(raw);
  if (!candidates.success) return { cid: null, root: null, isReply: null };
  const v = candidates.data;
  const root = v.reply?.root ?? v.replyRoot ?? v.record?.reply?.root ?? v.commit?.record?.reply?.root ?? null;
  const recordSeen = v.record !== undefined || v.commit?.record !== undefined;
  return { cid: v.cid ?? v.commit?.cid ?? null, root, isReply: root ? true : recordSeen ? false : null };
}

export function createBlueskySender(deps: SendDeps = {}): SendConnector {
  // Sessions are reused: createSession is rate-limited per account (30 per 5 minutes).
  const sessions = new Map<string, Session>();

  const serviceOf = (request: SendRequest) => configUrl(request.channel.config, 'pdsUrl', 'https://bsky.social', platform);
  const sessionKey = (request: SendRequest) => `${request.channel.workspaceId}:${request.channel.id}`;

  async function login(request: SendRequest, signal: AbortSignal): Promise<Session> {
    const identifier = requireCredential(request.channel, ['identifier', 'handle'], platform);
    const password = requireCredential(request.channel, ['appPassword', 'password'], platform);
    const answer = await requestJson(platform, deps, joinUrl(serviceOf(request), 'xrpc/com.atproto.server.createSession'), {
      method: 'POST',
      json: { identifier, password },
      signal,
    });
    if (!ok(answer)) {
      const error = errorOf(answer, request.now);
      // A wrong app password is a 401 (or a 400 AuthFactorTokenRequired): the channel's credentials are the problem.
      if (error.kind === 'rejected') throw new SendError('auth', `Bluesky refused to sign in: ${error.message}`, { status: answer.status });
      throw error;
    }
    const session = sessionSchema.safeParse(answer.body);
    if (!session.success) throw new SendError('temporary', 'Bluesky sent a session without an access token');
    const value = { accessJwt: session.data.accessJwt, did: session.data.did };
    sessions.set(sessionKey(request), value);
    return value;
  }

  /** Runs an authenticated XRPC call, signing in again once when the access token has expired. */
  async function withSession(request: SendRequest, signal: AbortSignal, call: (session: Session) => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; session: Session }> {
    let session = sessions.get(sessionKey(request)) ?? (await login(request, signal));
    let answer = await call(session);
    if (!ok(answer) && errorOf(answer, request.now).kind === 'auth') {
      sessions.delete(sessionKey(request));
      session = await login(request, signal);
      answer = await call(session);
    }
    return { answer, session };
  }

  const authHeader = (session: Session) => ({ authorization: `Bearer ${session.accessJwt}` });

  async function findOwnRecord(request: SendRequest, signal: AbortSignal): Promise<SentPost | null> {
    const rkey = recordKeyOfReply(request.replyId, request.createdAt);
    const { answer, session } = await withSession(request, signal, (s) => {
      const url = joinUrl(serviceOf(request), 'xrpc/com.atproto.repo.getRecord');
      url.searchParams.set('repo', s.did);
      url.searchParams.set('collection', postCollection);
      url.searchParams.set('rkey', rkey);
      return requestJson(platform, deps, url, { method: 'GET', headers: authHeader(s), signal });
    });
    if (!ok(answer)) {
      const code = xrpcErrorSchema.safeParse(answer.body);
      if (answer.status === 400 && code.success && code.data.error === 'RecordNotFound') return null;
      if (answer.status === 404) return null;
      throw errorOf(answer, request.now);
    }
    const record = recordSchema.safeParse(answer.body);
    if (!record.success) throw new SendError('temporary', 'Bluesky sent a record Parley cannot read', { ambiguous: true });
    const text = z.object({ text: z.string() }).safeParse(record.data.value);
    return postOf(request, session.did, rkey, record.data.uri, record.data.cid ?? null, text.success ? text.data.text : request.text);
  }

  function postOf(request: SendRequest, did: string, rkey: string, uri: string, cid: string | null, text: string): SentPost {
    const web = configString(request.channel.config, 'webUrl', 'https://bsky.app').replace(/\/$/, '');
    return { externalId: uri, url: `${web}/profile/${did}/post/${rkey}`, text, raw: { uri, cid } };
  }

  /** A post as the AppView (through the PDS) knows it: its strong ref and its own thread root, if it replies. */
  async function fetchPost(request: SendRequest, uri: string, signal: AbortSignal): Promise<{ ref: StrongRef; root: StrongRef | null }> {
    const { answer } = await withSession(request, signal, (s) => {
      const url = joinUrl(serviceOf(request), 'xrpc/app.bsky.feed.getPosts');
      url.searchParams.set('uris', uri);
      return requestJson(platform, deps, url, { method: 'GET', headers: authHeader(s), signal });
    });
    if (!ok(answer)) throw errorOf(answer, request.now);
    const posts = postsSchema.safeParse(answer.body);
    if (!posts.success) throw new SendError('temporary', 'Bluesky sent a post list Parley cannot read');
    const found = posts.data.posts.find((p) => p.uri === uri);
    if (!found) throw new SendError('rejected', 'the Bluesky post being answered no longer exists');
    return { ref: { uri: found.uri, cid: found.cid }, root: found.record.reply?.root ?? null };
  }

  /** The customer's post's strong ref, and the conversation's root: its own `reply.root`, or itself when it starts one. */
  async function conversationRefsOf(request: SendRequest, signal: AbortSignal): Promise<{ root: StrongRef; parent: StrongRef }> {
    const target = request.target;
    if (!target || !target.externalId.startsWith('at://')) {
      throw new SendError('rejected', 'a Bluesky reply needs the post it answers (an at:// URI)');
    }
    const stored = refsFromRaw(target.raw);
    if (stored.cid && (stored.root || stored.isReply === false)) {
      const parent = { uri: target.externalId, cid: stored.cid };
      return { parent, root: stored.root ?? parent };
    }
    // The stored payload does not say: ask the AppView for the parent post.
    const found = await fetchPost(request, target.externalId, signal);
    return { parent: found.ref, root: found.root ?? found.ref };
  }

  /**
   * Where the post hangs: under the customer's post, or — for a thread's later part — under the previous part, with
   * the conversation's root either way, so the whole thread stays in the customer's conversation.
   */
  async function replyRefsOf(request: SendRequest, signal: AbortSignal): Promise<{ root: StrongRef; parent: StrongRef }> {
    const conversation = await conversationRefsOf(request, signal);
    const previous = request.threadParent;
    if (!previous) return conversation;
    if (!previous.externalId.startsWith('at://')) throw new SendError('rejected', 'the previous part of this thread has no at:// URI to answer');
    const cid = refsFromRaw(previous.raw).cid;
    const parent = cid ? { uri: previous.externalId, cid } : (await fetchPost(request, previous.externalId, signal)).ref;
    return { root: conversation.root, parent };
  }

  return {
    async send(request, signal) {
      if (request.private) throw new SendError('rejected', 'Bluesky has no private replies; answer publicly or move to another channel');
      const refs = await replyRefsOf(request, signal);
      const rkey = recordKeyOfReply(request.replyId, request.createdAt);
      const record: Record<string, unknown> = {
        $type: postCollection,
        text: request.text,
        createdAt: request.now.toISOString(),
        reply: refs,
      };
      const facets = linkFacetsOf(request.text);
      if (facets.length > 0) record.facets = facets;
      const { answer, session } = await withSession(request, signal, (s) =>
        requestJson(platform, deps, joinUrl(serviceOf(request), 'xrpc/com.atproto.repo.createRecord'), {
          method: 'POST',
          headers: authHeader(s),
          json: { repo: s.did, collection: postCollection, rkey, record },
          signal,
        }),
      );
      if (!ok(answer)) {
        const error = errorOf(answer, request.now);
        // The key is ours alone: a refused create may mean an earlier attempt already wrote it.
        if (error.kind === 'rejected') {
          const existing = await findOwnRecord(request, signal);
          if (existing) return existing;
        }
        throw error;
      }
      const created = createdSchema.safeParse(answer.body);
      if (!created.success) throw new SendError('temporary', 'Bluesky accepted the post but sent no URI', { ambiguous: true });
      return postOf(request, session.did, rkey, created.data.uri, created.data.cid, request.text);
    },

    async reconcile(request, signal): Promise<ReconcileOutcome> {
      const existing = await findOwnRecord(request, signal);
      return existing ? { state: 'sent', post: existing } : { state: 'safe_to_send' };
    },
  };
}
