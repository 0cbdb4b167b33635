import { startFakeApiServer, bearerOf } from './platform-api.fake.ts';
import type { FakeApiServer, FakeAnswer } from './platform-api.fake.ts';

/**
 * A local X API v2 for the send side: `POST /2/tweets` with `reply.in_reply_to_tweet_id` (a customer's post or one of
 * the account's own; 201; duplicate text is refused with X's 403), `POST /2/dm_conversations/with/:participant_id/messages`, `GET /2/users/me`,
 * `GET /2/users/:id/tweets` (replies come back with the parent author's @mention in front, as on X) and
 * `GET /2/dm_conversations/with/:participant_id/dm_events`. Ids are strings; errors are problem details.
 */
export interface FakeTweet {
  id: string;
  text: string;
  inReplyTo: string | null;
  createdAt: string;
}

export interface FakeDm {
  id: string;
  participant: string;
  text: string;
  createdAt: string;
}

export interface FakeXApi extends FakeApiServer {
  accountId: string;
  tweets: FakeTweet[];
  dms: FakeDm[];
  /** A customer's post the brand may answer. */
  addTweet(id: string, authorHandle: string): void;
  /** The user token stops working (revoked). */
  revoke(): void;
}

const problem = (status: number, title: string, detail: string, type = 'about:blank'): FakeAnswer => ({ status, body: { title, detail, type, status } });

export async function startFakeXApi(options: { token: string; accountId?: string; username?: string }): Promise<FakeXApi> {
  const accountId = options.accountId ?? '7000000000000000001';
  const tweets: FakeTweet[] = [];
  const dms: FakeDm[] = [];
  const parents = new Map<string, string>();
  let revoked = false;
  let nextId = 1950000000000000000n;
  const newId = () => {
    nextId += 1n;
    return nextId.toString();
  };

  /** X puts the conversation's customer in front of every reply in it, the brand's own thread posts included. */
  const conversationHandle = (parentId: string): string => {
    for (let id: string | null = parentId, depth = 0; id !== null && depth < 50; depth += 1) {
      const handle = parents.get(id);
      if (handle) return handle;
      id = tweets.find((t) => t.id === id)?.inReplyTo ?? null;
    }
    return 'someone';
  };

  const server = await startFakeApiServer((request) => {
    if (revoked || bearerOf(request) !== options.token) return problem(401, 'Unauthorized', 'Unauthorized');
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /2/tweets') {
      const text = typeof request.body.text === 'string' ? request.body.text : '';
      const reply: unknown = request.body.reply;
      const parent = typeof reply === 'object' && reply !== null ? Reflect.get(reply, 'in_reply_to_tweet_id') : undefined;
      // A reply may answer a customer's post or one of the account's own (a thread).
      if (parent !== undefined && (typeof parent !== 'string' || (!parents.has(parent) && !tweets.some((t) => t.id === parent)))) {
        return {
          status: 400,
          body: {
            errors: [{ parameters: { 'reply.in_reply_to_tweet_id': [String(parent)] }, message: 'The post you are replying to does not exist or is not visible.' }],
            title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request',
          },
        };
      }
      if (tweets.some((t) => t.text === text)) return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
      const id = newId();
      tweets.push({ id, text, inReplyTo: typeof parent === 'string' ? parent : null, createdAt: new Date().toISOString() });
      return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
    }
    const dmSend = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(request.path);
    if (request.method === 'POST' && dmSend) {
      const text = typeof request.body.text === 'string' ? request.body.text : '';
      const id = newId();
      dms.push({ id, participant: dmSend[1], text, createdAt: new Date().toISOString() });
      return { status: 201, body: { data: { dm_conversation_id: `${dmSend[1]}-${accountId}`, dm_event_id: id } } };
    }
    if (route === 'GET /2/users/me') return { status: 200, body: { data: { id: accountId, name: 'Acme', username: options.username ?? 'acme' } } };
    const timeline = /^\/2\/users\/(\d+)\/tweets$/.exec(request.path);
    if (request.method === 'GET' && timeline) {
      if (timeline[1] !== accountId) return { status: 200, body: { meta: { result_count: 0 } } };
      const since = Date.parse(request.query.get('start_time') ?? '1970-01-01T00:00:00Z');
      const data = tweets
        .filter((t) => Date.parse(t.createdAt) >= since)
        .reverse()
        .map((t) => ({
          id: t.id,
          text: t.inReplyTo ? `@${conversationHandle(t.inReplyTo)} ${t.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}` : t.text,
          created_at: t.createdAt,
          edit_history_tweet_ids: [t.id],
          ...(t.inReplyTo ? { referenced_tweets: [{ type: 'replied_to', id: t.inReplyTo }] } : {}),
        }));
      return { status: 200, body: data.length > 0 ? { data, meta: { result_count: data.length, newest_id: data[0].id, oldest_id: data.at(-1)?.id } } : { meta: { result_count: 0 } } };
    }
    const dmEvents = /^\/2\/dm_conversations\/with\/(\d+)\/dm_events$/.exec(request.path);
    if (request.method === 'GET' && dmEvents) {
      const data = dms
        .filter((d) => d.participant === dmEvents[1])
        .reverse()
        .map((d) => ({ id: d.id, event_type: 'MessageCreate', text: d.text, sender_id: accountId, created_at: d.createdAt, dm_conversation_id: `${d.participant}-${accountId}` }));
      return { status: 200, body: { data, meta: { result_count: data.length } } };
    }
    return problem(404, 'Not Found Error', `no route ${route}`);
  });

  return {
    ...server,
    accountId,
    tweets,
    dms,
    addTweet(id, authorHandle) {
      parents.set(id, authorHandle);
    },
    revoke() {
      revoked = true;
    },
  };
}
