import type { FastifyInstance } from 'fastify';
import { changeRule, createRule, getRule, listRules, removeRule, testRule } from '../../../features/listening/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import { createRuleSchema, listRulesQuerySchema, patchRuleSchema, testRuleSchema } from './rules.schema.ts';

export function registerRuleRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  // Rule writes in this process reach its matcher at once; other processes notice within their poll interval.
  const refreshMatcher = async (): Promise<void> => {
    await ctx.matcher.reload?.();
  };
  app.addHook('onClose', async () => {
    ctx.matcher.close?.();
  });

  docs.add({
    method: 'get', path: '/api/v1/rules', tag: 'rules', auth: 'user', query: listRulesQuerySchema,
    summary: "The workspace's monitoring rules, optionally of one tag",
    responses: { 200: 'rules', 400: 'bad filter', 401: 'not signed in' },
  });
  app.get('/api/v1/rules', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(listRulesQuerySchema, request.query);
    return { data: await listRules(ctx.db, principal.workspaceId, { tag: query.tag }) };
  });

  docs.add({
    method: 'post', path: '/api/v1/rules', tag: 'rules', auth: 'user', body: createRuleSchema,
    summary: 'Create a monitoring rule (supervisors); a malformed query is a 422 naming its column',
    responses: {
      201: 'the rule', 401: 'not signed in', 403: 'role too low', 409: 'name already used', 422: 'invalid body or query (details[0].column)',
    },
  });
  app.post('/api/v1/rules', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const body = parseBody(createRuleSchema, request.body);
    const rule = await createRule(ctx.db, { ...body, workspaceId: principal.workspaceId, createdBy: principal.userId });
    await refreshMatcher();
    return reply.status(201).send({ data: rule });
  });

  docs.add({
    method: 'post', path: '/api/v1/rules/test', tag: 'rules', auth: 'user', body: testRuleSchema,
    summary: "Try a rule, saved or not, against the workspace's latest inbound messages",
    responses: { 200: 'the matching messages, how many were tried, and the rule as an X filtered stream would carry it (xStreamRule)', 401: 'not signed in', 422: 'invalid body or query (details[0].column)' },
  });
  app.post('/api/v1/rules/test', async (request) => {
    const principal = await authenticate(ctx, request);
    const body = parseBody(testRuleSchema, request.body);
    return { data: await testRule(ctx.db, principal.workspaceId, body.query, body.limit) };
  });

  docs.add({
    method: 'get', path: '/api/v1/rules/:id', tag: 'rules', auth: 'user',
    summary: 'One monitoring rule', responses: { 200: 'the rule', 401: 'not signed in', 404: 'no such rule in this workspace' },
  });
  app.get('/api/v1/rules/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getRule(ctx.db, principal.workspaceId, idParamOf(request.params, 'rule')) };
  });

  docs.add({
    method: 'patch', path: '/api/v1/rules/:id', tag: 'rules', auth: 'user', body: patchRuleSchema,
    summary: 'Change a rule’s name, tag, query or enabled flag (supervisors)',
    responses: {
      200: 'the updated rule', 401: 'not signed in', 403: 'role too low', 404: 'no such rule', 409: 'name already used',
      422: 'invalid change or query (details[0].column)',
    },
  });
  app.patch('/api/v1/rules/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'rule');
    const body = parseBody(patchRuleSchema, request.body);
    const rule = await changeRule(ctx.db, principal.workspaceId, id, body);
    await refreshMatcher();
    return { data: rule };
  });

  docs.add({
    method: 'delete', path: '/api/v1/rules/:id', tag: 'rules', auth: 'user',
    summary: 'Delete a rule (supervisors)', responses: { 204: 'deleted', 401: 'not signed in', 403: 'role too low', 404: 'no such rule' },
  });
  app.delete('/api/v1/rules/:id', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    await removeRule(ctx.db, principal.workspaceId, idParamOf(request.params, 'rule'));
    await refreshMatcher();
    return reply.status(204).send();
  });
}
