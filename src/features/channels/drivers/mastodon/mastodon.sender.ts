import { z } from 'zod';
import type { ReconcileOutcome, SendConnector, SendDeps, SendRequest } from '../../send-connector.ts';
import { SendError, configString, joinUrl, requestJson, requireCredential, sendErrorOfStatus } from '../../send-connector.ts';
import type { HttpAnswer } from '../../send-connector.ts';

/**
 * Mastodon replies: `POST /api/v1/statuses` with `in_reply_to_id` (for a thread's later parts, the previous part),
 * `visibility=direct` for a private reply, and the
 * customer's `@acct` mentioned (a direct status reaches only the accounts it mentions).
 *
 * Exactly once: every attempt carries `Idempotency-Key: <reply id>`; Mastodon answers a repeated key with the status
 * it already created for an hour, so within that hour resending is the reconciliation. After it, Parley cannot
 * tell and asks an agent.
 */

const platform = 'Mastodon';

/** Mastodon keeps idempotency keys for 3600 s; Parley stops trusting them a little earlier. */
export const mastodonIdempotencyWindowMs = 55 * 60_000;

const statusSchema = z.object({
  id: z.string().regex(/^[0-9]{1,25}$/),
  uri: z.string().max(2048),
  url: z.string().max(2048).nullish(),
  visibility: z.string().max(32).optional(),
  in_reply_to_id: z.string().nullish(),
});
const searchSchema = z.object({ statuses: z.array(z.object({ id: z.string().regex(/^[0-9]{1,25}$/) })) });
const errorSchema = z.object({ error: z.string().max(1000) });
const rawStatusSchema = z.object({
  id: z.string().regex(/^[0-9]{1,25}$/).optional(),
  account: z.object({ acct: z.string().min(1).max(300) }).optional(),
});

const ok = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

function errorOf(answer: HttpAnswer, now: Date): SendError {
  const said = errorSchema.safeParse(answer.body);
  return sendErrorOfStatus(platform, answer.status, answer.headers, said.success ? said.data.error : null, now);
}

/** Prepends the customer's handle unless the text already mentions them. */
export function withMention(text: string, acct: string | null): string {
  if (!acct) return text;
  const handle = acct.replace(/^@/, '');
  const user = handle.split('@')[0];
  const mentions = [...text.matchAll(/(^|[^\w@])@([\w.-]+(?:@[\w.-]+)?)/g)].map((m) => m[2].toLowerCase());
  if (mentions.includes(handle.toLowerCase()) || (!handle.includes('@') && mentions.includes(user.toLowerCase()))) return text;
  return `@${handle} ${text}`;
}

export function createMastodonSender(deps: SendDeps = {}): SendConnector {
  function instanceOf(request: SendRequest): URL {
    const text = configString(request.channel.config, 'instanceUrl', configString(request.channel.config, 'baseUrl', ''));
    try {
      const url = new URL(text);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url;
    } catch {
      // reported below
    }
    throw new SendError('rejected', 'the Mastodon channel has no instanceUrl setting (https://your.instance)');
  }

  /**
   * The parent's id on the brand's own instance (a remote status has a different id there): the previous part of a
   * thread (a status of the brand's own, so its id is local), else the customer's status.
   */
  async function parentIdOf(request: SendRequest, token: string, signal: AbortSignal): Promise<string> {
    if (request.threadParent) {
      const previous = rawStatusSchema.safeParse(request.threadParent.raw);
      const id = previous.success && previous.data.id ? previous.data.id : request.threadParent.externalId;
      if (!/^[0-9]{1,25}$/.test(id)) throw new SendError('rejected', 'the previous part of this thread has no Mastodon status id to answer');
      return id;
    }
    const target = request.target;
    if (!target) throw new SendError('rejected', 'a Mastodon reply needs the status it answers');
    const raw = rawStatusSchema.safeParse(target.raw);
    if (raw.success && raw.data.id) return raw.data.id;
    if (/^[0-9]{1,25}$/.test(target.externalId)) return target.externalId;
    // Otherwise the listener stored the status URI: resolve it to this instance's id.
    const url = joinUrl(instanceOf(request), 'api/v2/search');
    url.searchParams.set('q', target.externalId);
    url.searchParams.set('type', 'statuses');
    url.searchParams.set('resolve', 'true');
    url.searchParams.set('limit', '1');
    const answer = await requestJson(platform, deps, url, { method: 'GET', headers: { authorization: `Bearer ${token}` }, signal });
    if (!ok(answer)) throw errorOf(answer, request.now);
    const found = searchSchema.safeParse(answer.body);
    const id = found.success ? found.data.statuses[0]?.id : undefined;
    if (!id) throw new SendError('rejected', 'the Mastodon status being answered could not be found from this instance');
    return id;
  }

  function acctOf(request: SendRequest): string | null {
    const raw = rawStatusSchema.safeParse(request.target?.raw);
    if (raw.success && raw.data.account) return raw.data.account.acct;
    return request.target?.author?.handle ?? null;
  }

  return {
    async send(request, signal) {
      const token = requireCredential(request.channel, ['accessToken'], platform);
      const inReplyTo = await parentIdOf(request, token, signal);
      const text = withMention(request.text, acctOf(request));
      const visibility = request.private ? 'direct' : configString(request.channel.config, 'publicVisibility', 'public');
      const form = new URLSearchParams({ status: text, in_reply_to_id: inReplyTo, visibility });
      const answer = await requestJson(platform, deps, joinUrl(instanceOf(request), 'api/v1/statuses'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': request.replyId },
        form,
        signal,
      });
      if (!ok(answer)) throw errorOf(answer, request.now);
      const status = statusSchema.safeParse(answer.body);
      if (!status.success) throw new SendError('temporary', 'Mastodon accepted the status but sent no id', { ambiguous: true });
      return {
        externalId: status.data.id,
        url: status.data.url ?? status.data.uri,
        text,
        raw: { id: status.data.id, uri: status.data.uri, visibility: status.data.visibility ?? visibility },
      };
    },

    async reconcile(request): Promise<ReconcileOutcome> {
      if (request.now.getTime() - request.firstAttemptAt.getTime() < mastodonIdempotencyWindowMs) return { state: 'safe_to_send' };
      return {
        state: 'unknown',
        reason: 'Mastodon no longer remembers the idempotency key of the first attempt; check the account and confirm',
      };
    },
  };
}
