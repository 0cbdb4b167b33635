import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { registerAdmissionControl } from './admission.ts';

// Routes that wait until the test lets them go, so requests can be held in flight.
let app: FastifyInstance;
let base: string;
let admission: { inFlight(): number };
const waiting: Array<() => void> = [];
const hold = () => new Promise<void>((resolve) => waiting.push(resolve));
const releaseAll = () => waiting.splice(0).forEach((go) => go());

beforeAll(async () => {
  app = Fastify({ forceCloseConnections: true });
  app.setErrorHandler((error, _request, reply) => {
    if (!(error instanceof AppError)) return reply.status(500).send({ error: { code: 'internal', message: String(error) } });
    return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
  });
  admission = registerAdmissionControl(app, { limit: 2, retryAfterSeconds: 3 });
  app.post('/api/v1/channels/:id/messages', async () => {
    await hold();
    return { data: 'stored' };
  });
  app.get('/api/v1/queue', async () => {
    await hold();
    return { data: [] };
  });
  app.get('/api/v1/events', async () => {
    await hold();
    return 'stream';
  });
  app.get('/healthz', async () => ({ ok: true }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  releaseAll();
  await app.close();
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('admission control', () => {
  it('turns machine writes away past the limit with 503 overloaded and Retry-After, and admits again once they finish', async () => {
    const post = (signal?: AbortSignal) => fetch(`${base}/api/v1/channels/c1/messages`, { method: 'POST', signal });
    const held = [post(), post()];
    await until(() => admission.inFlight() === 2);

    const shed = await post();
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('3');
    expect(await shed.json()).toEqual({ error: { code: 'overloaded', message: 'Parley is at capacity; nothing was written, retry in 3 s' } });

    // people's requests still get in (up to twice the limit); event streams and health checks are not counted
    const queue = fetch(`${base}/api/v1/queue`);
    const stream = fetch(`${base}/api/v1/events`);
    await until(() => admission.inFlight() === 3 && waiting.length === 4);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    releaseAll();
    for (const res of await Promise.all([...held, queue, stream])) expect(res.status).toBe(200);
    await until(() => admission.inFlight() === 0);
    const again = post();
    await until(() => waiting.length === 1);
    releaseAll();
    expect((await again).status).toBe(200);
  });

  it('frees the place of a client that went away', async () => {
    const controller = new AbortController();
    const gone = fetch(`${base}/api/v1/channels/c1/messages`, { method: 'POST', signal: controller.signal }).catch(() => null);
    await until(() => admission.inFlight() === 1);
    controller.abort();
    await gone;
    await until(() => admission.inFlight() === 0);
    releaseAll();
  });
});
