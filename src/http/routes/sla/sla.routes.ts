import type { FastifyInstance } from 'fastify';
import { escalationPolicySchema, getCasePolicies, priorityPolicySchema, putCasePolicy, slaPolicySchema } from '../../../features/cases/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody } from '../../validation.ts';

// The workspace's case policies (docs/FAIRNESS.md): anyone signed in may read them; only admins change them.
export function registerSlaRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/sla-policy', tag: 'policies', auth: 'user',
    summary: 'SLA targets per priority (first response, next response, resolution, in business minutes), business hours, holidays, time zone',
    responses: { 200: 'the SLA policy', 401: 'not signed in' },
  });
  app.get('/api/v1/sla-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: (await getCasePolicies(ctx.db, principal)).sla };
  });

  docs.add({
    method: 'put', path: '/api/v1/sla-policy', tag: 'policies', auth: 'user', body: slaPolicySchema,
    summary: 'Replace the SLA policy (admins); applies to clocks started from now on',
    responses: { 200: 'the SLA policy', 401: 'not signed in', 403: 'admins only', 422: 'invalid policy' },
  });
  app.put('/api/v1/sla-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(slaPolicySchema, request.body);
    return { data: (await putCasePolicy(ctx.db, principal, 'sla', body)).sla };
  });

  docs.add({
    method: 'get', path: '/api/v1/priority-policy', tag: 'policies', auth: 'user',
    summary: 'Optional channel and reach weights of the need score (none by default)',
    responses: { 200: 'the priority policy', 401: 'not signed in' },
  });
  app.get('/api/v1/priority-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: (await getCasePolicies(ctx.db, principal)).priority };
  });

  docs.add({
    method: 'put', path: '/api/v1/priority-policy', tag: 'policies', auth: 'user', body: priorityPolicySchema,
    summary: 'Replace the priority policy (admins); the equity report shows what channel or reach weights cost',
    responses: { 200: 'the priority policy', 401: 'not signed in', 403: 'admins only', 422: 'invalid policy' },
  });
  app.put('/api/v1/priority-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(priorityPolicySchema, request.body);
    return { data: (await putCasePolicy(ctx.db, principal, 'priority', body)).priority };
  });

  docs.add({
    method: 'get', path: '/api/v1/escalation-policy', tag: 'policies', auth: 'user',
    summary: 'The escalation ladder: tiers with their SLA clocks, and the rules that escalate automatically',
    responses: { 200: 'the escalation policy', 401: 'not signed in' },
  });
  app.get('/api/v1/escalation-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: (await getCasePolicies(ctx.db, principal)).escalation };
  });

  docs.add({
    method: 'put', path: '/api/v1/escalation-policy', tag: 'policies', auth: 'user', body: escalationPolicySchema,
    summary: 'Replace the escalation policy (admins)',
    responses: { 200: 'the escalation policy', 401: 'not signed in', 403: 'admins only', 422: 'invalid policy' },
  });
  app.put('/api/v1/escalation-policy', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(escalationPolicySchema, request.body);
    return { data: (await putCasePolicy(ctx.db, principal, 'escalation', body)).escalation };
  });
}
