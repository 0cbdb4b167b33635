import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

/**
 * A local Mastodon instance: the streaming API at `/api/v1/streaming` (WebSocket, `{"type":"subscribe",…}`
 * messages, frames `{stream, event, payload}` with the status JSON encoded again as a string) and the REST
 * timelines `/api/v1/timelines/public` and `/api/v1/timelines/tag/:tag` with `min_id`, `since_id`, `max_id`, `limit`.
 */
export interface FakeStatusInput {
  id: string;
  content: string;
  tags?: string[];
  accountId?: string;
  acct?: string;
  inReplyToId?: string | null;
  reblogOf?: Record<string, unknown> | null;
  language?: string | null;
  createdAt?: string;
  visibility?: string;
}

export interface FakeMastodon {
  baseUrl: string;
  streamingUrl: string;
  /** Stores a status in the timelines without streaming it (posted while nobody listened). */
  record(status: FakeStatusInput): Record<string, unknown>;
  /** Stores and streams a status to subscribers of `public` and of each of its hashtags. */
  publish(status: FakeStatusInput): Record<string, unknown>;
  /** Sends a raw frame to every socket. */
  sendRaw(frame: string | Buffer): void;
  dropConnections(code?: number): void;
  subscriptions: Array<{ stream: string; tag?: string }>;
  timelineRequests: URL[];
  readonly openConnections: number;
  close(): Promise<void>;
}

export function statusEntity(input: FakeStatusInput): Record<string, unknown> {
  const accountId = input.accountId ?? '1081104';
  const acct = input.acct ?? 'customer@example.social';
  return {
    id: input.id,
    created_at: input.createdAt ?? new Date().toISOString(),
    in_reply_to_id: input.inReplyToId ?? null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: input.visibility ?? 'public',
    language: input.language === undefined ? 'en' : input.language,
    uri: `https://example.social/users/${acct}/statuses/${input.id}`,
    url: `https://example.social/@${acct}/${input.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    content: input.content,
    reblog: input.reblogOf ?? null,
    account: { id: accountId, username: acct.split('@')[0], acct, display_name: 'A Customer', locked: false, bot: false, followers_count: 42, following_count: 10, statuses_count: 100, note: '', url: `https://example.social/@${acct}`, emojis: [], fields: [] },
    media_attachments: [],
    mentions: [],
    tags: (input.tags ?? []).map((name) => ({ name, url: `https://example.social/tags/${name}` })),
    emojis: [],
    card: null,
    poll: null,
  };
}

function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export async function startFakeMastodon(options: { token?: string } = {}): Promise<FakeMastodon> {
  const statuses: Array<{ entity: Record<string, unknown>; tags: string[] }> = [];
  const sockets = new Map<WebSocket, Set<string>>();
  const subscriptions: Array<{ stream: string; tag?: string }> = [];
  const timelineRequests: URL[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"The access token is invalid"}');
      return;
    }
    const tagMatch = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
    if (url.pathname !== '/api/v1/timelines/public' && !tagMatch) {
      res.writeHead(404).end('{"error":"Record not found"}');
      return;
    }
    timelineRequests.push(url);
    const tag = tagMatch ? decodeURIComponent(tagMatch[1]).toLowerCase() : null;
    const limit = Math.min(Number(url.searchParams.get('limit') ?? '20'), 40);
    const minId = url.searchParams.get('min_id');
    const sinceId = url.searchParams.get('since_id');
    const maxId = url.searchParams.get('max_id');
    let list = statuses.filter((s) => !tag || s.tags.includes(tag)).map((s) => s.entity);
    list.sort((a, b) => compareIds(String(a.id), String(b.id)));
    if (maxId) list = list.filter((s) => compareIds(String(s.id), maxId) < 0);
    const lower = minId ?? sinceId;
    if (lower) list = list.filter((s) => compareIds(String(s.id), lower) > 0);
    // min_id: the page right after it; otherwise the newest page. Always returned newest first.
    const page = minId ? list.slice(0, limit) : list.slice(-limit);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page.reverse()));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/v1/streaming') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const streams = new Set<string>();
      sockets.set(ws, streams);
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { type: string; stream: string; tag?: string };
        if (message.type !== 'subscribe') return;
        subscriptions.push({ stream: message.stream, tag: message.tag });
        streams.add(message.tag ? `${message.stream}:${message.tag.toLowerCase()}` : message.stream);
      });
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const record = (input: FakeStatusInput) => {
    const entity = statusEntity(input);
    statuses.push({ entity, tags: (input.tags ?? []).map((t) => t.toLowerCase()) });
    return entity;
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    streamingUrl: `ws://127.0.0.1:${port}/api/v1/streaming`,
    record,
    publish(input) {
      const entity = record(input);
      const payload = JSON.stringify(entity);
      for (const [ws, streams] of sockets) {
        if (streams.has('public')) ws.send(JSON.stringify({ stream: ['public'], event: 'update', payload }));
        for (const tag of input.tags ?? []) {
          if (streams.has(`hashtag:${tag.toLowerCase()}`)) ws.send(JSON.stringify({ stream: ['hashtag', tag], event: 'update', payload }));
        }
      }
      return entity;
    },
    sendRaw(frame) {
      for (const ws of sockets.keys()) ws.send(frame);
    },
    dropConnections(code = 1011) {
      for (const ws of sockets.keys()) ws.close(code, 'fake restart');
    },
    subscriptions,
    timelineRequests,
    get openConnections() {
      return sockets.size;
    },
    async close() {
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
