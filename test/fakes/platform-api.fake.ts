import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plumbing shared by the send-side platform fakes (X, Bluesky, Mastodon, Facebook): a local HTTP server, request
 * bodies as JSON or form data, a log of requests, and the failures tests inject — an HTTP error for the next few
 * calls of one route, or a request that is carried out and then answered with a dropped connection (the ambiguous
 * case: the post exists but the sender never hears so).
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** JSON or form body, parsed; `{}` when empty. */
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InjectedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  times: number;
}

export interface FakeApiServer {
  baseUrl: string;
  /** "METHOD /path" of every request, in order. */
  requests: FakeRequest[];
  /** The next `times` requests to `METHOD /path` are answered with this error instead. */
  failNext(route: string, failure: Omit<InjectedFailure, 'times'> & { times?: number }): void;
  /** The next request to `METHOD /path` is carried out, then the connection is dropped before the answer. */
  dropAnswerOnce(route: string): void;
  close(): Promise<void>;
}

export async function startFakeApiServer(handle: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeApiServer> {
  const requests: FakeRequest[] = [];
  const failures = new Map<string, InjectedFailure>();
  const drops = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const text = Buffer.concat(chunks).toString('utf8');
        const type = req.headers['content-type'] ?? '';
        let body: Record<string, unknown> = {};
        if (text.length > 0 && type.includes('application/json')) {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed === 'object' && parsed !== null) body = Object.fromEntries(Object.entries(parsed));
        } else if (text.length > 0 && type.includes('application/x-www-form-urlencoded')) {
          body = Object.fromEntries(new URLSearchParams(text));
        }
        const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
        requests.push(request);
        const route = `${request.method} ${request.path}`;
        const failure = failures.get(route);
        if (failure && failure.times > 0) {
          failure.times -= 1;
          res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(JSON.stringify(failure.body));
          return;
        }
        const answer = await handle(request);
        if (drops.delete(route)) {
          // The platform did the work; the sender never hears about it.
          res.socket?.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failNext(route, failure) {
      failures.set(route, { ...failure, times: failure.times ?? 1 });
    },
    dropAnswerOnce(route) {
      drops.add(route);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function bearerOf(request: FakeRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
  return match ? match[1] : null;
}

export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}
