import type { FastifyInstance } from 'fastify';
import {
  changeSubscription,
  createSubscription,
  getDeliveries,
  getSubscription,
  getSubscriptions,
  removeSubscription,
  rotateSubscriptionSecret,
} from '../../../features/webhooks-out/index.ts';
import type { WebhookDeps } from '../../../features/webhooks-out/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { createSubscriptionSchema, deliveriesQuerySchema, patchSubscriptionSchema, rotateSecretSchema } from './webhook-subscriptions.schema.ts';

const base = '/api/v1/webhook-subscriptions';
const what = 'webhook subscription';

export function registerWebhookSubscriptionRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  const depsOf = (): WebhookDeps => ({ db: ctx.db, secretKey: ctx.secretKey, allowPrivate: ctx.config.webhookAllowPrivate, now: ctx.clock.now() });
  const admin = async (request: Parameters<typeof authenticate>[1]) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    return principal;
  };

  docs.add({
    method: 'get', path: base, tag: 'webhooks', auth: 'user',
    summary: "The workspace's outbound webhook subscriptions with their health (admins)",
    responses: { 200: 'subscriptions', 401: 'not signed in', 403: 'admins only' },
  });
  app.get(base, async (request) => ({ data: await getSubscriptions(depsOf(), await admin(request)) }));

  docs.add({
    method: 'post', path: base, tag: 'webhooks', auth: 'user', body: createSubscriptionSchema,
    summary: 'Subscribe a URL to case and alert events (admins); the response carries the signing secret, shown only this once',
    responses: { 201: 'the subscription and its secret', 401: 'not signed in', 403: 'admins only', 422: 'bad URL (scheme, credentials, private address) or event type' },
  });
  app.post(base, async (request, reply) => {
    const principal = await admin(request);
    const body = parseBody(createSubscriptionSchema, request.body);
    return reply.status(201).send({ data: await createSubscription(depsOf(), principal, body) });
  });

  docs.add({
    method: 'get', path: `${base}/:id`, tag: 'webhooks', auth: 'user',
    summary: 'One subscription: URL, event types, enabled, failure run, last error and why it was disabled (admins)',
    responses: { 200: 'the subscription', 401: 'not signed in', 403: 'admins only', 404: 'no such subscription' },
  });
  app.get(`${base}/:id`, async (request) => {
    const principal = await admin(request);
    return { data: await getSubscription(depsOf(), principal, idParamOf(request.params, what)) };
  });

  docs.add({
    method: 'patch', path: `${base}/:id`, tag: 'webhooks', auth: 'user', body: patchSubscriptionSchema,
    summary: 'Change a subscription; {"enabled": true} re-enables one disabled after failures (admins)',
    responses: { 200: 'the subscription', 401: 'not signed in', 403: 'admins only', 404: 'no such subscription', 422: 'bad change' },
  });
  app.patch(`${base}/:id`, async (request) => {
    const principal = await admin(request);
    const id = idParamOf(request.params, what);
    const body = parseBody(patchSubscriptionSchema, request.body);
    return { data: await changeSubscription(depsOf(), principal, id, body) };
  });

  docs.add({
    method: 'post', path: `${base}/:id/secret`, tag: 'webhooks', auth: 'user', body: rotateSecretSchema,
    summary: 'Replace the signing secret at once (admins); the new secret is in the response, shown only this once',
    responses: { 200: 'the subscription and its new secret', 401: 'not signed in', 403: 'admins only', 404: 'no such subscription', 422: 'bad secret' },
  });
  app.post(`${base}/:id/secret`, async (request) => {
    const principal = await admin(request);
    const id = idParamOf(request.params, what);
    const body = parseBody(rotateSecretSchema, request.body ?? {});
    return { data: await rotateSubscriptionSecret(depsOf(), principal, id, body.secret) };
  });

  docs.add({
    method: 'delete', path: `${base}/:id`, tag: 'webhooks', auth: 'user',
    summary: 'Delete a subscription and its delivery history (admins)',
    responses: { 204: 'deleted', 401: 'not signed in', 403: 'admins only', 404: 'no such subscription' },
  });
  app.delete(`${base}/:id`, async (request, reply) => {
    const principal = await admin(request);
    await removeSubscription(depsOf(), principal, idParamOf(request.params, what));
    return reply.status(204).send();
  });

  docs.add({
    method: 'get', path: `${base}/:id/deliveries`, tag: 'webhooks', auth: 'user', query: deliveriesQuerySchema,
    summary: 'Recent deliveries of a subscription: state, attempts, next attempt, last status and error (admins)',
    responses: { 200: 'deliveries, newest first', 400: 'bad limit', 401: 'not signed in', 403: 'admins only', 404: 'no such subscription' },
  });
  app.get(`${base}/:id/deliveries`, async (request) => {
    const principal = await admin(request);
    const id = idParamOf(request.params, what);
    const query = parseParams(deliveriesQuerySchema, request.query);
    return { data: await getDeliveries(depsOf(), principal, id, query.limit) };
  });
}
