import { z } from 'zod';
import type { ReconcileOutcome, SendConnector, SendDeps, SendRequest, SentPost } from '../../send-connector.ts';
import { SendError, configUrl, joinUrl, requestJson, requireCredential, sendErrorOfStatus } from '../../send-connector.ts';
import type { HttpAnswer } from '../../send-connector.ts';

/**
 * X replies through API v2: `POST /2/tweets` with `reply.in_reply_to_tweet_id` (for a thread's later parts, the
 * previous part), and direct messages through `POST /2/dm_conversations/with/:participant_id/messages`, with the
 * channel's OAuth 2.0 user token.
 *
 * X takes no idempotency key, so reconciling looks for the reply itself: the account's posts since the first attempt
 * that answer the same parent with the same words (or, for a DM, the account's messages in that conversation).
 */

const platform = 'X';
const idPattern = /^[0-9]{1,25}$/;

const createdTweetSchema = z.object({ data: z.object({ id: z.string().regex(idPattern), text: z.string().optional() }) });
const createdDmSchema = z.object({ data: z.object({ dm_event_id: z.string().regex(idPattern), dm_conversation_id: z.string().max(100).optional() }) });
const meSchema = z.object({ data: z.object({ id: z.string().regex(idPattern), username: z.string().optional() }) });
const timelineSchema = z.object({
  data: z
    .array(
      z.object({
        id: z.string().regex(idPattern),
        text: z.string(),
        referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
      }),
    )
    .optional(),
});
const dmEventsSchema = z.object({
  data: z
    .array(z.object({ id: z.string().regex(idPattern), event_type: z.string().optional(), text: z.string().optional(), sender_id: z.string().optional() }))
    .optional(),
});
const problemSchema = z.object({
  title: z.string().max(300).optional(),
  detail: z.string().max(1000).optional(),
  type: z.string().max(300).optional(),
  errors: z.array(z.object({ message: z.string().max(1000).optional() })).optional(),
});

const ok = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

/** 403s that are about the app or token rather than this one post. */
const permissionProblem = /unsupported-authentication|client-forbidden|oauth1-permissions|client-not-enrolled/;

function errorOf(answer: HttpAnswer, now: Date): SendError {
  const problem = problemSchema.safeParse(answer.body);
  const said = problem.success ? (problem.data.detail ?? problem.data.errors?.[0]?.message ?? problem.data.title ?? null) : null;
  const type = problem.success ? (problem.data.type ?? '') : '';
  return sendErrorOfStatus(platform, answer.status, answer.headers, said, now, { forbiddenIsRejection: !permissionProblem.test(type) });
}

/** X escapes &, < and >, shortens links and puts the reply's @mentions in front: compare what is left. */
export function comparableTweetText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/^(\s*@\w{1,15})+\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createXSender(deps: SendDeps = {}): SendConnector {
  const accountIds = new Map<string, string>();

  const apiOf = (request: SendRequest) => configUrl(request.channel.config, 'baseUrl', 'https://api.x.com', platform);
  // Posting needs a user-context token; an app-only bearer token is refused by X with a 403 that names it.
  const tokenOf = (request: SendRequest) => requireCredential(request.channel, ['accessToken', 'userAccessToken', 'bearerToken'], platform);

  async function accountIdOf(request: SendRequest, signal: AbortSignal): Promise<string> {
    const configured = request.channel.config.accountId;
    if (typeof configured === 'string' && idPattern.test(configured)) return configured;
    const cached = accountIds.get(request.channel.id);
    if (cached) return cached;
    const answer = await requestJson(platform, deps, joinUrl(apiOf(request), '2/users/me'), {
      method: 'GET',
      headers: { authorization: `Bearer ${tokenOf(request)}` },
      signal,
    });
    if (!ok(answer)) throw errorOf(answer, request.now);
    const me = meSchema.safeParse(answer.body);
    if (!me.success) throw new SendError('temporary', 'X sent an account Parley cannot read');
    accountIds.set(request.channel.id, me.data.data.id);
    return me.data.data.id;
  }

  /** The post this one answers: the previous part of a thread, else the customer's post. */
  function parentIdOf(request: SendRequest): string {
    if (request.threadParent) {
      const previous = request.threadParent.externalId;
      if (!idPattern.test(previous)) throw new SendError('rejected', 'the previous part of this thread has no numeric X post id to answer');
      return previous;
    }
    const id = request.target?.externalId;
    if (!id || !idPattern.test(id)) throw new SendError('rejected', 'an X reply needs the post it answers (a numeric post id)');
    return id;
  }

  function participantOf(request: SendRequest): string {
    const id = request.target?.author?.externalId;
    if (!id || !idPattern.test(id)) throw new SendError('rejected', 'an X direct message needs the customer\'s numeric account id');
    return id;
  }

  const tweetUrl = (id: string) => `https://x.com/i/web/status/${id}`;

  async function findReply(request: SendRequest, signal: AbortSignal): Promise<SentPost | null> {
    const me = await accountIdOf(request, signal);
    const wanted = comparableTweetText(request.text);
    const since = new Date(request.firstAttemptAt.getTime() - 60_000).toISOString();
    if (request.private) {
      const url = joinUrl(apiOf(request), `2/dm_conversations/with/${participantOf(request)}/dm_events`);
      url.searchParams.set('max_results', '100');
      url.searchParams.set('dm_event.fields', 'id,text,sender_id,created_at,event_type');
      const answer = await requestJson(platform, deps, url, { method: 'GET', headers: { authorization: `Bearer ${tokenOf(request)}` }, signal });
      if (!ok(answer)) throw errorOf(answer, request.now);
      const events = dmEventsSchema.safeParse(answer.body);
      if (!events.success) throw new SendError('temporary', 'X sent direct messages Parley cannot read');
      const found = (events.data.data ?? []).find(
        (e) => e.sender_id === me && (e.event_type ?? 'MessageCreate') === 'MessageCreate' && comparableTweetText(e.text ?? '') === wanted,
      );
      return found ? { externalId: found.id, url: null, text: request.text, raw: { dmEventId: found.id } } : null;
    }
    const parent = parentIdOf(request);
    const url = joinUrl(apiOf(request), `2/users/${me}/tweets`);
    url.searchParams.set('max_results', '100');
    url.searchParams.set('start_time', since);
    url.searchParams.set('tweet.fields', 'referenced_tweets,created_at');
    const answer = await requestJson(platform, deps, url, { method: 'GET', headers: { authorization: `Bearer ${tokenOf(request)}` }, signal });
    if (!ok(answer)) throw errorOf(answer, request.now);
    const timeline = timelineSchema.safeParse(answer.body);
    if (!timeline.success) throw new SendError('temporary', 'X sent a timeline Parley cannot read');
    const found = (timeline.data.data ?? []).find(
      (t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === parent) && comparableTweetText(t.text) === wanted,
    );
    return found ? { externalId: found.id, url: tweetUrl(found.id), text: request.text, raw: { id: found.id } } : null;
  }

  return {
    async send(request, signal) {
      const headers = { authorization: `Bearer ${tokenOf(request)}` };
      if (request.private) {
        const participant = participantOf(request);
        const answer = await requestJson(platform, deps, joinUrl(apiOf(request), `2/dm_conversations/with/${participant}/messages`), {
          method: 'POST',
          headers,
          json: { text: request.text },
          signal,
        });
        if (!ok(answer)) throw errorOf(answer, request.now);
        const created = createdDmSchema.safeParse(answer.body);
        if (!created.success) throw new SendError('temporary', 'X accepted the direct message but sent no id', { ambiguous: true });
        const { dm_event_id: id, dm_conversation_id: conversation } = created.data.data;
        return { externalId: id, url: null, text: request.text, raw: { dmEventId: id, dmConversationId: conversation ?? null } };
      }
      const answer = await requestJson(platform, deps, joinUrl(apiOf(request), '2/tweets'), {
        method: 'POST',
        headers,
        json: { text: request.text, reply: { in_reply_to_tweet_id: parentIdOf(request) } },
        signal,
      });
      if (!ok(answer)) throw errorOf(answer, request.now);
      const created = createdTweetSchema.safeParse(answer.body);
      if (!created.success) throw new SendError('temporary', 'X accepted the post but sent no id', { ambiguous: true });
      return { externalId: created.data.data.id, url: tweetUrl(created.data.data.id), text: request.text, raw: { id: created.data.data.id } };
    },

    async reconcile(request, signal): Promise<ReconcileOutcome> {
      const found = await findReply(request, signal);
      return found ? { state: 'sent', post: found } : { state: 'safe_to_send' };
    },
  };
}
