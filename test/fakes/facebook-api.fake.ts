import { startFakeApiServer, stringField } from './platform-api.fake.ts';
import type { FakeApiServer, FakeAnswer } from './platform-api.fake.ts';

/**
 * A local Graph API for a Facebook Page's send side: `POST /{version}/{comment-id}/comments` (form, page access
 * token) and the Messenger Send API `POST /{version}/me/messages?access_token=…`, which refuses a standard message
 * more than 24 hours after the person's last message with Meta's error (code 10, subcode 2018278). Errors are
 * Graph's `{"error": {message, type, code, error_subcode, fbtrace_id}}`.
 */
export interface FakeFacebook extends FakeApiServer {
  comments: { id: string; parent: string; message: string }[];
  messages: { id: string; psid: string; text: string }[];
  /** A comment the Page may answer. */
  addComment(id: string): void;
  /** When the person last wrote to the Page (Messenger's window). */
  setLastUserMessage(psid: string, at: Date): void;
}

const graphError = (message: string, code: number, subcode?: number, type = 'OAuthException'): FakeAnswer => ({
  status: 400,
  body: { error: { message, type, code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AbCdEfGh123' } },
});

export async function startFakeFacebook(options: { pageToken: string; version?: string; now?: () => Date }): Promise<FakeFacebook> {
  const version = options.version ?? 'v21.0';
  const now = options.now ?? (() => new Date());
  const comments: FakeFacebook['comments'] = [];
  const messages: FakeFacebook['messages'] = [];
  const known = new Set<string>();
  const lastUserMessage = new Map<string, Date>();
  let next = 900000000000000;

  const server = await startFakeApiServer((request) => {
    const token = stringField(request.body, 'access_token') ?? request.query.get('access_token');
    if (token !== options.pageToken) return graphError('Invalid OAuth access token - Cannot parse access token', 190);
    if (request.method === 'POST' && request.path === `/${version}/me/messages`) {
      const recipient: unknown = request.body.recipient;
      const message: unknown = request.body.message;
      const psid = typeof recipient === 'object' && recipient !== null ? Reflect.get(recipient, 'id') : undefined;
      const text = typeof message === 'object' && message !== null ? Reflect.get(message, 'text') : undefined;
      if (typeof psid !== 'string' || typeof text !== 'string') return graphError('(#100) Param recipient[id] must be a valid ID string', 100);
      const last = lastUserMessage.get(psid);
      if (!last || now().getTime() - last.getTime() > 24 * 3_600_000) {
        return graphError('(#10) This message is sent outside of allowed window.', 10, 2018278);
      }
      next += 1;
      const id = `m_${next}`;
      messages.push({ id, psid, text });
      return { status: 200, body: { recipient_id: psid, message_id: id } };
    }
    const comment = new RegExp(`^/${version}/([0-9_]+)/comments$`).exec(request.path);
    if (request.method === 'POST' && comment) {
      if (!known.has(comment[1])) return graphError('(#100) Object does not exist, cannot be loaded due to missing permissions, or does not support this operation', 100, 33, 'GraphMethodException');
      const message = stringField(request.body, 'message');
      if (!message) return graphError('(#100) Missing message or attachment', 100);
      next += 1;
      const id = `${comment[1].split('_')[0]}_${next}`;
      comments.push({ id, parent: comment[1], message });
      return { status: 200, body: { id } };
    }
    return graphError(`Unknown path components: ${request.path}`, 2500);
  });

  return {
    ...server,
    comments,
    messages,
    addComment(id) {
      known.add(id);
    },
    setLastUserMessage(psid, at) {
      lastUserMessage.set(psid, at);
    },
  };
}
