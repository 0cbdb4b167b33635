import crypto from 'node:crypto';
import http from 'node:http';

/** One POST the receiver got, with its own verdict on the signature. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; workspaceId: string; event: { seq: number; type: string; caseId: string | null; createdAt: string; data: Record<string, unknown> } };
  /** The signature is `v1=` HMAC-SHA256(secret, `<timestamp>.<raw body>`) and the timestamp is within 5 minutes. */
  verified: boolean;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with, in order, before falling back to 200 (each with optional headers). */
  respondWith(...responses: (number | { status: number; headers?: Record<string, string> })[]): void;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * A webhook consumer as a customer would write one, following docs/WEBHOOKS.md: it reads the raw body, recomputes
 * the signature with its copy of the secret, rejects a stale timestamp, and answers as the test tells it to.
 */
export async function startWebhookReceiver(options: { secret: string; now: () => Date }): Promise<WebhookReceiver> {
  let secret = options.secret;
  const queue: { status: number; headers?: Record<string, string> }[] = [];
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['parley-webhook-timestamp'] ?? '');
      const signature = String(req.headers['parley-webhook-signature'] ?? '');
      const expected = `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
      const fresh = /^\d+$/.test(timestamp) && Math.abs(options.now().getTime() / 1000 - Number(timestamp)) <= 300;
      const verified = fresh && signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      const next = queue.shift() ?? { status: verified ? 200 : 401 };
      received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody), verified, status: next.status });
      res.writeHead(next.status, next.headers ?? {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/parley`,
    received,
    respondWith(...responses) {
      queue.push(...responses.map((r) => (typeof r === 'number' ? { status: r } : r)));
    },
    setSecret(next) {
      secret = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
