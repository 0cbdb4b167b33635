import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

/**
 * A local Jetstream: `GET /subscribe?wantedCollections=…&cursor=…` upgraded to a WebSocket that sends one JSON event
 * per text frame. It keeps a log of events; a subscriber with a cursor first gets every logged event with
 * `time_us >= cursor` (Jetstream's replay), then live events. Raw frames can be pushed to test hostile input.
 */
export interface FakeJetstream {
  url: string;
  /** Query strings of every subscription, in order. */
  subscriptions: URLSearchParams[];
  /** Appends to the log and sends to the connected subscribers that want it. */
  publish(event: Record<string, unknown>): void;
  /** Appends to the log only (events that happen while nobody listens). */
  record(event: Record<string, unknown>): void;
  /** Sends any frame, valid or not, to every subscriber. */
  sendRaw(frame: string | Buffer): void;
  /** Closes every open subscription with this code. */
  dropConnections(code?: number): void;
  /** Answer the next upgrades with this HTTP status instead (e.g. 429), `times` times. */
  rejectNext(status: number, times?: number): void;
  readonly openConnections: number;
  close(): Promise<void>;
}

interface Subscriber {
  socket: WebSocket;
  collections: Set<string>;
}

export async function startFakeJetstream(): Promise<FakeJetstream> {
  const log: Array<Record<string, unknown>> = [];
  const subscribers = new Set<Subscriber>();
  const subscriptions: URLSearchParams[] = [];
  let rejections: { status: number; times: number } | null = null;

  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/subscribe') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (rejections && rejections.times > 0) {
      rejections.times -= 1;
      socket.end(`HTTP/1.1 ${rejections.status} Rejected\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      subscriptions.push(url.searchParams);
      const subscriber: Subscriber = { socket: ws, collections: new Set(url.searchParams.getAll('wantedCollections')) };
      subscribers.add(subscriber);
      ws.on('close', () => subscribers.delete(subscriber));
      ws.on('error', () => subscribers.delete(subscriber));
      const cursor = url.searchParams.get('cursor');
      if (cursor !== null) {
        for (const event of log) if (Number(event.time_us) >= Number(cursor)) send(subscriber, event);
      }
    });
  });

  function wants(subscriber: Subscriber, event: Record<string, unknown>): boolean {
    if (subscriber.collections.size === 0) return true;
    const commit = event.commit as { collection?: string } | undefined;
    return event.kind !== 'commit' || (commit?.collection !== undefined && subscriber.collections.has(commit.collection));
  }

  function send(subscriber: Subscriber, event: Record<string, unknown>): void {
    if (wants(subscriber, event) && subscriber.socket.readyState === subscriber.socket.OPEN) subscriber.socket.send(JSON.stringify(event));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}`,
    subscriptions,
    publish(event) {
      log.push(event);
      for (const subscriber of subscribers) send(subscriber, event);
    },
    record(event) {
      log.push(event);
    },
    sendRaw(frame) {
      for (const subscriber of subscribers) subscriber.socket.send(frame);
    },
    dropConnections(code = 1011) {
      for (const subscriber of subscribers) subscriber.socket.close(code, 'fake says goodbye');
    },
    rejectNext(status, times = 1) {
      rejections = { status, times };
    },
    get openConnections() {
      return subscribers.size;
    },
    async close() {
      for (const subscriber of subscribers) subscriber.socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
