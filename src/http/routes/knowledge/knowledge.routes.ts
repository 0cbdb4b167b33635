import type { FastifyInstance } from 'fastify';
import { AppError, notFound } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { deleteArticle, findArticle, insertArticle, listArticles, searchArticles, updateArticle } from '../../../features/replies/knowledge/knowledge.repository.ts';
import { deleteMacro, findMacro, insertMacro, listMacros, macroNameTaken, updateMacro } from '../../../features/replies/macros/macro.repository.ts';
import { caseReference, firstName, renderTemplate, unknownVariables } from '../../../features/replies/macros/macro.template.ts';
import { findCase } from '../../../features/cases/index.ts';
import { findUser } from '../../../features/accounts/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import {
  articlePatchSchema,
  articleQuerySchema,
  articleSchema,
  caseMacroParamsSchema,
  macroPatchSchema,
  macroSchema,
} from './knowledge.schema.ts';

function checkTemplate(body: string): void {
  const unknown = unknownVariables(body);
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `unknown macro variable {{${unknown[0].variable}}}`,
      unknown.map((u) => ({ path: 'body', message: `unknown variable {{${u.variable}}} at ${u.index}` })),
    );
  }
}

export function registerKnowledgeRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/kb/articles', tag: 'knowledge', auth: 'user', query: articleQuerySchema,
    summary: 'Policy articles; with q, full-text search ranked by relevance', responses: { 200: 'articles', 400: 'bad query', 401: 'not signed in' },
  });
  app.get('/api/v1/kb/articles', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(articleQuerySchema, request.query);
    const data = query.q
      ? await searchArticles(ctx.db, principal.workspaceId, query.q, query.limit)
      : await listArticles(ctx.db, principal.workspaceId, query.limit);
    return { data };
  });

  docs.add({
    method: 'post', path: '/api/v1/kb/articles', tag: 'knowledge', auth: 'user', body: articleSchema,
    summary: 'Add a policy article (Markdown; supervisors)', responses: { 201: 'created', 401: 'not signed in', 403: 'role too low', 422: 'invalid article' },
  });
  app.post('/api/v1/kb/articles', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const body = parseBody(articleSchema, request.body);
    return reply.status(201).send({ data: await insertArticle(ctx.db, principal.workspaceId, principal.userId, body) });
  });

  docs.add({
    method: 'get', path: '/api/v1/kb/articles/:id', tag: 'knowledge', auth: 'user',
    summary: 'One policy article', responses: { 200: 'the article', 401: 'not signed in', 404: 'no such article' },
  });
  app.get('/api/v1/kb/articles/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    const article = await findArticle(ctx.db, principal.workspaceId, idParamOf(request.params, 'article'));
    if (!article) throw notFound('article');
    return { data: article };
  });

  docs.add({
    method: 'patch', path: '/api/v1/kb/articles/:id', tag: 'knowledge', auth: 'user', body: articlePatchSchema,
    summary: 'Edit a policy article (supervisors)', responses: { 200: 'updated', 401: 'not signed in', 403: 'role too low', 404: 'no such article', 422: 'invalid change' },
  });
  app.patch('/api/v1/kb/articles/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'article');
    const body = parseBody(articlePatchSchema, request.body);
    const article = await updateArticle(ctx.db, principal.workspaceId, id, body);
    if (!article) throw notFound('article');
    return { data: article };
  });

  docs.add({
    method: 'delete', path: '/api/v1/kb/articles/:id', tag: 'knowledge', auth: 'user',
    summary: 'Delete a policy article (supervisors)', responses: { 204: 'deleted', 401: 'not signed in', 403: 'role too low', 404: 'no such article' },
  });
  app.delete('/api/v1/kb/articles/:id', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    if (!(await deleteArticle(ctx.db, principal.workspaceId, idParamOf(request.params, 'article')))) throw notFound('article');
    return reply.status(204).send();
  });

  docs.add({
    method: 'get', path: '/api/v1/macros', tag: 'macros', auth: 'user',
    summary: 'Reply macros', responses: { 200: 'macros', 401: 'not signed in' },
  });
  app.get('/api/v1/macros', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await listMacros(ctx.db, principal.workspaceId) };
  });

  docs.add({
    method: 'post', path: '/api/v1/macros', tag: 'macros', auth: 'user', body: macroSchema,
    summary: 'Add a macro; variables: {{customer.name}}, {{customer.first_name}}, {{case.reference}}, {{agent.name}}, {{agent.first_name}}',
    responses: { 201: 'created', 401: 'not signed in', 403: 'role too low', 409: 'name taken', 422: 'invalid macro or unknown variable' },
  });
  app.post('/api/v1/macros', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const body = parseBody(macroSchema, request.body);
    checkTemplate(body.body);
    if (await macroNameTaken(ctx.db, principal.workspaceId, body.name)) throw new AppError('conflict', `a macro named "${body.name}" exists`);
    return reply.status(201).send({ data: await insertMacro(ctx.db, principal.workspaceId, principal.userId, body) });
  });

  docs.add({
    method: 'patch', path: '/api/v1/macros/:id', tag: 'macros', auth: 'user', body: macroPatchSchema,
    summary: 'Edit a macro (supervisors)', responses: { 200: 'updated', 401: 'not signed in', 403: 'role too low', 404: 'no such macro', 409: 'name taken', 422: 'invalid change' },
  });
  app.patch('/api/v1/macros/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'macro');
    const body = parseBody(macroPatchSchema, request.body);
    if (body.body) checkTemplate(body.body);
    if (body.name && (await macroNameTaken(ctx.db, principal.workspaceId, body.name, id))) throw new AppError('conflict', `a macro named "${body.name}" exists`);
    const macro = await updateMacro(ctx.db, principal.workspaceId, id, body);
    if (!macro) throw notFound('macro');
    return { data: macro };
  });

  docs.add({
    method: 'delete', path: '/api/v1/macros/:id', tag: 'macros', auth: 'user',
    summary: 'Delete a macro (supervisors)', responses: { 204: 'deleted', 401: 'not signed in', 403: 'role too low', 404: 'no such macro' },
  });
  app.delete('/api/v1/macros/:id', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    if (!(await deleteMacro(ctx.db, principal.workspaceId, idParamOf(request.params, 'macro')))) throw notFound('macro');
    return reply.status(204).send();
  });

  docs.add({
    method: 'post', path: '/api/v1/cases/:id/macros/:macroId/render', tag: 'macros', auth: 'user',
    summary: "Fill a macro for a case: the customer's and the agent's names and the case reference",
    responses: { 200: 'the text', 401: 'not signed in', 404: 'no such case or macro' },
  });
  app.post('/api/v1/cases/:id/macros/:macroId/render', async (request) => {
    const principal = await authenticate(ctx, request);
    const { id, macroId } = parseParams(caseMacroParamsSchema, request.params);
    const found = isUuid(id) ? await findCase(ctx.db, principal.workspaceId, id) : null;
    if (!found) throw notFound('case');
    const macro = isUuid(macroId) ? await findMacro(ctx.db, principal.workspaceId, macroId) : null;
    if (!macro) throw notFound('macro');
    const agent = await findUser(ctx.db, principal.workspaceId, principal.userId);
    const customerName = found.customer_name;
    const agentName = agent?.name ?? '';
    const text = renderTemplate(macro.body, {
      'customer.name': customerName,
      'customer.first_name': firstName(customerName),
      'case.reference': caseReference(found.id),
      'agent.name': agentName,
      'agent.first_name': firstName(agentName),
    });
    return { data: { text } };
  });
}
