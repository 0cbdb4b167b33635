import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local feed host: each path serves a document with its ETag and Last-Modified, answers conditional GETs with
 * 304 Not Modified like a real server, and can misbehave on demand (slow, huge, failing).
 */
export interface FakeFeed {
  body: Buffer | string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Stream this many bytes of filler after the body, with no Content-Length. */
  endlessBytes?: number;
  headers?: Record<string, string>;
}

export interface FeedRequest {
  path: string;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  status: number;
}

export interface FakeFeedServer {
  url(path: string): string;
  set(path: string, feed: FakeFeed): void;
  requests: FeedRequest[];
  close(): Promise<void>;
}

export async function startFakeFeedServer(): Promise<FakeFeedServer> {
  const feeds = new Map<string, FakeFeed>();
  const requests: FeedRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const feed = feeds.get(path);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const answer = () => {
      if (!feed) {
        requests.push({ path, ifNoneMatch, ifModifiedSince, status: 404 });
        res.writeHead(404).end();
        return;
      }
      const notModified =
        (feed.etag !== undefined && ifNoneMatch === feed.etag) ||
        (feed.etag === undefined && feed.lastModified !== undefined && ifModifiedSince === feed.lastModified);
      const status = notModified ? 304 : (feed.status ?? 200);
      requests.push({ path, ifNoneMatch, ifModifiedSince, status });
      const headers: Record<string, string> = { ...feed.headers };
      if (feed.etag) headers.etag = feed.etag;
      if (feed.lastModified) headers['last-modified'] = feed.lastModified;
      if (notModified) {
        res.writeHead(304, headers).end();
        return;
      }
      headers['content-type'] = feed.contentType ?? 'application/rss+xml; charset=utf-8';
      if (feed.endlessBytes) {
        res.writeHead(status, headers);
        res.write(feed.body);
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (sent < (feed.endlessBytes ?? 0)) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => {
          sent = Infinity;
        });
        pump();
        return;
      }
      res.writeHead(status, headers).end(feed.body);
    };
    if (feed?.delayMs) setTimeout(answer, feed.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, feed) => void feeds.set(path, feed),
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
