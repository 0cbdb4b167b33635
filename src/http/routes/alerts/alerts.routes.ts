import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import {
  acknowledgeAlert, alertPolicySchema, getAlert, getAlertPolicy, listAlerts, putAlertPolicy, recordEngagement,
} from '../../../features/alerts/index.ts';
import type { EngagementOutcome } from '../../../features/alerts/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, bearerToken, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { createChannelTokenCache } from '../channels/channel-token.cache.ts';
import { ackAlertSchema, engagementBatchSchema, engagementReportSchema, listAlertsQuerySchema } from './alerts.schema.ts';

// Alerts for the communications team (docs/ALERTS.md): listed and acknowledged by anyone signed in; the policy is
// tuned by supervisors; engagement snapshots come in with a channel's ingest token, like messages.
export function registerAlertRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  const tokens = createChannelTokenCache();

  docs.add({
    method: 'get', path: '/api/v1/alerts', tag: 'alerts', auth: 'user', query: listAlertsQuerySchema,
    summary: 'Viral-risk and complaint-spike alerts, newest first, with filters and a cursor',
    responses: { 200: 'a page of alerts and the next cursor', 400: 'bad filter or cursor', 401: 'not signed in' },
  });
  app.get('/api/v1/alerts', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(listAlertsQuerySchema, request.query);
    if (query.since && query.until && query.since >= query.until) throw new AppError('bad_request', 'since must be before until');
    const page = await listAlerts(ctx.db, principal, query);
    return { data: page.alerts, nextCursor: page.nextCursor };
  });

  docs.add({
    method: 'get', path: '/api/v1/alerts/:id', tag: 'alerts', auth: 'user',
    summary: 'One alert with its example posts', responses: { 200: 'the alert', 401: 'not signed in', 404: 'no such alert in this workspace' },
  });
  app.get('/api/v1/alerts/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getAlert(ctx.db, principal, idParamOf(request.params, 'alert')) };
  });

  docs.add({
    method: 'post', path: '/api/v1/alerts/:id/ack', tag: 'alerts', auth: 'user', body: ackAlertSchema,
    summary: 'Acknowledge an alert (idempotent: a second acknowledgement returns it unchanged)',
    responses: { 200: 'the acknowledged alert', 401: 'not signed in', 404: 'no such alert in this workspace', 422: 'invalid body' },
  });
  app.post('/api/v1/alerts/:id/ack', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'alert');
    // The body is optional: an acknowledgement needs nothing but may carry a note.
    const body = request.body === undefined || request.body === null ? {} : parseBody(ackAlertSchema, request.body);
    return { data: await acknowledgeAlert(ctx.db, ctx.notifier, principal, id, ctx.clock.now(), body.note ?? null) };
  });

  docs.add({
    method: 'get', path: '/api/v1/alert-policy', tag: 'alerts', auth: 'user',
    summary: 'Viral-risk, spike and engagement-recommendation settings of the workspace',
    responses: { 200: 'the alert policy', 401: 'not signed in' },
  });
  app.get('/api/v1/alert-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getAlertPolicy(ctx.db, principal) };
  });

  docs.add({
    method: 'put', path: '/api/v1/alert-policy', tag: 'alerts', auth: 'user', body: alertPolicySchema,
    summary: 'Replace the alert policy (supervisors); fields left out take their defaults; applies from now on',
    responses: { 200: 'the alert policy', 401: 'not signed in', 403: 'role too low', 422: 'invalid policy' },
  });
  app.put('/api/v1/alert-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const body = parseBody(alertPolicySchema, request.body);
    return { data: await putAlertPolicy(ctx.db, principal, body) };
  });

  docs.add({
    method: 'post', path: '/api/v1/channels/:id/engagement', tag: 'ingest', auth: 'channel-token', body: engagementBatchSchema,
    summary: 'Record engagement counts of ingested posts (one snapshot, or {"snapshots": [...]}); re-assesses viral risk',
    responses: {
      200: 'per-snapshot outcome: recorded, duplicate or unknown_post, with the risk and any alert raised',
      401: 'missing or unknown channel token', 403: 'the token belongs to another channel', 422: 'invalid snapshot',
    },
  });
  app.post('/api/v1/channels/:id/engagement', async (request) => {
    const channelId = idParamOf(request.params, 'channel');
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized', "send the channel's ingest token as a Bearer token");
    const channel = await tokens.lookup(ctx.db, token);
    if (!channel) throw new AppError('unauthorized', 'the channel token is unknown or was rotated');
    if (channel.id !== channelId) throw new AppError('forbidden', 'this token belongs to another channel');
    const body: unknown = request.body;
    const isBatch = typeof body === 'object' && body !== null && 'snapshots' in body;
    const reports = isBatch ? parseBody(engagementBatchSchema, body).snapshots : [parseBody(engagementReportSchema, body)];
    const outcomes: EngagementOutcome[] = [];
    for (const report of reports) {
      outcomes.push(await recordEngagement(ctx, { workspaceId: channel.workspaceId, id: channel.id }, report));
    }
    return { data: isBatch ? outcomes : outcomes[0] };
  });
}
