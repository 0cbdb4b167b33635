import { z } from 'zod';
import type { ReconcileOutcome, SendConnector, SendDeps, SendRequest } from '../../send-connector.ts';
import { SendError, configString, configUrl, joinUrl, platformWaitMs, requestJson, requireCredential } from '../../send-connector.ts';
import type { HttpAnswer } from '../../send-connector.ts';

/**
 * Facebook Pages: a public reply is a comment on the customer's comment (`POST /{comment-id}/comments`); a private
 * one goes through the Messenger Send API (`POST /me/messages`, messaging_type RESPONSE), which Meta allows only
 * within 24 hours of the customer's last message — outside it the reply is refused with that reason before any call.
 *
 * The Graph API takes no idempotency key and cannot be asked "did this arrive?" cheaply, so an ambiguous attempt
 * is left for an agent to confirm rather than risk a second comment.
 */

const platform = 'Facebook';
export const messengerWindowMs = 24 * 60 * 60_000;

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().max(2000).optional(),
    type: z.string().max(200).optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
  }),
});
const commentSchema = z.object({ id: z.string().min(1).max(200) });
const messageSchema = z.object({ message_id: z.string().min(1).max(300), recipient_id: z.string().max(100).optional() });
const rawCommentSchema = z.object({ comment_id: z.string().min(1).max(200) });

const ok = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

// Graph API error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
const rateLimitCodes = new Set([4, 17, 32, 613]);
const temporaryCodes = new Set([1, 2]);

export function facebookErrorOf(answer: HttpAnswer, now: Date): SendError {
  const parsed = graphErrorSchema.safeParse(answer.body);
  const status = answer.status;
  if (!parsed.success) {
    if (status >= 500) return new SendError('temporary', `Facebook answered HTTP ${status}`, { status, ambiguous: true });
    return new SendError('rejected', `Facebook refused the reply (HTTP ${status})`, { status });
  }
  const { message = 'no reason given', code, error_subcode: subcode } = parsed.data.error;
  const said = `Facebook: ${message}${code === undefined ? '' : ` (code ${code}${subcode === undefined ? '' : `/${subcode}`})`}`;
  if (code === 190 || code === 102) return new SendError('auth', said, { status });
  if (code === 10 && subcode === 2018278) return new SendError('rejected', said, { status });
  if (code !== undefined && (rateLimitCodes.has(code) || (code >= 80001 && code <= 80014))) {
    return new SendError('temporary', said, { status, retryAfterMs: platformWaitMs(answer.headers, now) });
  }
  if (code !== undefined && temporaryCodes.has(code)) return new SendError('temporary', said, { status, ambiguous: true });
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) return new SendError('permission', said, { status });
  if (status >= 500) return new SendError('temporary', said, { status, ambiguous: true });
  return new SendError('rejected', said, { status });
}

export function createFacebookSender(deps: SendDeps = {}): SendConnector {
  const graphOf = (request: SendRequest) => {
    const base = configUrl(request.channel.config, 'graphUrl', 'https://graph.facebook.com', platform);
    return joinUrl(base, `${configString(request.channel.config, 'apiVersion', 'v21.0')}/`);
  };

  return {
    async send(request, signal) {
      const token = requireCredential(request.channel, ['pageAccessToken', 'accessToken'], platform);
      const target = request.target;
      if (request.private) {
        const psid = target?.author?.externalId;
        if (!psid) throw new SendError('rejected', 'a Messenger reply needs the customer\'s page-scoped id (the message being answered)');
        const last = request.lastInboundAt;
        if (!last || request.now.getTime() - last.getTime() > messengerWindowMs) {
          const when = last ? `last wrote at ${last.toISOString()}` : 'has not written on Messenger';
          throw new SendError(
            'rejected',
            `outside Messenger's 24-hour window: the customer ${when}; Meta allows a standard reply only within 24 hours of their last message`,
          );
        }
        const url = joinUrl(graphOf(request), 'me/messages');
        url.searchParams.set('access_token', token);
        const answer = await requestJson(platform, deps, url, {
          method: 'POST',
          json: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: request.text } },
          signal,
        });
        if (!ok(answer)) throw facebookErrorOf(answer, request.now);
        const sent = messageSchema.safeParse(answer.body);
        if (!sent.success) throw new SendError('temporary', 'Facebook accepted the message but sent no id', { ambiguous: true });
        return { externalId: sent.data.message_id, url: null, text: request.text, raw: { messageId: sent.data.message_id } };
      }
      if (!target) throw new SendError('rejected', 'a Facebook comment reply needs the comment it answers');
      const raw = rawCommentSchema.safeParse(target.raw);
      const commentId = raw.success ? raw.data.comment_id : target.externalId;
      if (!/^[0-9_]{1,200}$/.test(commentId)) throw new SendError('rejected', 'the Facebook comment id being answered is malformed');
      const answer = await requestJson(platform, deps, joinUrl(graphOf(request), `${commentId}/comments`), {
        method: 'POST',
        form: new URLSearchParams({ message: request.text, access_token: token }),
        signal,
      });
      if (!ok(answer)) throw facebookErrorOf(answer, request.now);
      const created = commentSchema.safeParse(answer.body);
      if (!created.success) throw new SendError('temporary', 'Facebook accepted the comment but sent no id', { ambiguous: true });
      const [postId, ownId] = created.data.id.split('_');
      const url = ownId ? `https://www.facebook.com/${postId}?comment_id=${ownId}` : `https://www.facebook.com/${created.data.id}`;
      return { externalId: created.data.id, url, text: request.text, raw: { id: created.data.id } };
    },

    async reconcile(): Promise<ReconcileOutcome> {
      return { state: 'unknown', reason: 'Facebook cannot be asked whether an interrupted reply arrived; check the Page and confirm' };
    },
  };
}
