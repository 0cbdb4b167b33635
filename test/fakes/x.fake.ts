import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local X API v2: the filtered stream (`GET /2/tweets/search/stream`, NDJSON with "\r\n" line ends and blank
 * keep-alive lines, bearer token required) and its rule endpoint (`GET`/`POST /2/tweets/search/stream/rules` with
 * `add` and `delete`, rule ids as strings, X's response shapes).
 */
export interface FakeXRule {
  id: string;
  value: string;
  tag?: string;
}

export interface FakeX {
  baseUrl: string;
  rules: FakeXRule[];
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Sends one line (a JSON string, or '' for a keep-alive) to every open stream. */
  send(line: string): void;
  /** Sends raw bytes without a line end (partial lines, junk). */
  sendRaw(data: string | Buffer): void;
  /** Ends every open stream response. */
  endStreams(): void;
  /** The next `times` stream connections are answered with this status. */
  failNext(status: number, times?: number, headers?: Record<string, string>): void;
  readonly openStreams: number;
  readonly streamConnections: number;
  close(): Promise<void>;
}

/** The checks X makes on a rule value that a fake can make faithfully: its length and balanced groups and quotes. */
function ruleProblem(value: string): string | null {
  if (value.length > 512) return `Rules must be no longer than 512 characters (got ${value.length})`;
  let depth = 0;
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth < 0) break;
  }
  if (quoted) return 'Rules must contain balanced quotes';
  return depth === 0 ? null : 'Rules must contain balanced parentheses';
}

export async function startFakeX(options: { token: string; rules?: FakeXRule[] }): Promise<FakeX> {
  const rules: FakeXRule[] = [...(options.rules ?? [])];
  const requests: string[] = [];
  const streams = new Set<http.ServerResponse>();
  let failures: { status: number; times: number; headers: Record<string, string> } | null = null;
  let connections = 0;
  let nextId = 1900000000000000000n;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      json(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      return;
    }
    if (url.pathname === '/2/tweets/search/stream' && req.method === 'GET') {
      connections += 1;
      if (failures && failures.times > 0) {
        failures.times -= 1;
        res.writeHead(failures.status, { 'content-type': 'application/json', ...failures.headers }).end(JSON.stringify({ title: 'Error', status: failures.status }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/2/tweets/search/stream/rules') {
      if (req.method === 'GET') {
        json(res, 200, rules.length > 0 ? { data: rules, meta: { sent: new Date().toISOString(), result_count: rules.length } } : { meta: { sent: new Date().toISOString(), result_count: 0 } });
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        const parsed = JSON.parse(body) as { add?: Array<{ value: string; tag?: string }>; delete?: { ids: string[] } };
        if (parsed.delete) {
          const before = rules.length;
          for (const id of parsed.delete.ids) {
            const at = rules.findIndex((r) => r.id === id);
            if (at >= 0) rules.splice(at, 1);
          }
          json(res, 200, { meta: { sent: new Date().toISOString(), summary: { deleted: before - rules.length, not_deleted: parsed.delete.ids.length - (before - rules.length) } } });
          return;
        }
        const created: FakeXRule[] = [];
        const errors: Array<{ value: string; title: string; details: string[] }> = [];
        for (const rule of parsed.add ?? []) {
          const problem = ruleProblem(rule.value);
          if (problem) {
            errors.push({ value: rule.value, title: 'UnprocessableEntity', details: [problem] });
            continue;
          }
          nextId += 1n;
          const stored = { id: nextId.toString(), value: rule.value, tag: rule.tag };
          rules.push(stored);
          created.push(stored);
        }
        json(res, 201, {
          ...(created.length > 0 ? { data: created } : {}),
          ...(errors.length > 0 ? { errors } : {}),
          meta: { sent: new Date().toISOString(), summary: { created: created.length, not_created: errors.length, valid: created.length, invalid: errors.length } },
        });
      });
      return;
    }
    json(res, 404, { title: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    rules,
    requests,
    send(line) {
      for (const res of streams) res.write(`${line}\r\n`);
    },
    sendRaw(data) {
      for (const res of streams) res.write(data);
    },
    endStreams() {
      for (const res of streams) res.end();
    },
    failNext(status, times = 1, headers = {}) {
      failures = { status, times, headers };
    },
    get openStreams() {
      return streams.size;
    },
    get streamConnections() {
      return connections;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
