import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import {
  acceptSuggestion,
  addCustomerIdentity,
  dismissSuggestion,
  findCustomers,
  getCustomerDetail,
  listCustomerSuggestions,
  mergeCustomersByHand,
  rescanCustomerSuggestions,
  setCustomerVulnerable,
  undoMerge,
} from '../../../features/identity/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody, parseParams } from '../../validation.ts';
import {
  addIdentitySchema,
  customerSearchQuerySchema,
  mergeParamsSchema,
  mergeSchema,
  patchCustomerSchema,
  suggestionParamsSchema,
  suggestionQuerySchema,
} from './customers.schema.ts';

function suggestionIdsOf(params: unknown): { id: string; sid: string } {
  const ids = parseParams(suggestionParamsSchema, params);
  if (!isUuid(ids.id)) throw notFound('customer');
  if (!isUuid(ids.sid)) throw notFound('suggestion');
  return ids;
}

export function registerCustomerRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/customers', tag: 'customers', auth: 'user', query: customerSearchQuerySchema,
    summary: 'Search customers by name, handle, email or phone (merged customers are left out), by name with a cursor',
    responses: { 200: 'a page of customers and the next cursor', 400: 'bad query or cursor', 401: 'not signed in' },
  });
  app.get('/api/v1/customers', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(customerSearchQuerySchema, request.query);
    const page = await findCustomers(ctx.db, principal.workspaceId, query);
    return { data: page.customers, nextCursor: page.nextCursor };
  });

  docs.add({
    method: 'get', path: '/api/v1/customers/:id', tag: 'customers', auth: 'user',
    summary: 'A customer with identities, platform accounts, case history on every channel, open suggestions and merges',
    responses: { 200: 'the customer (mergedIntoId is set for a customer merged into another)', 401: 'not signed in', 404: 'no such customer' },
  });
  app.get('/api/v1/customers/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await getCustomerDetail(ctx.db, principal.workspaceId, idParamOf(request.params, 'customer')) };
  });

  docs.add({
    method: 'patch', path: '/api/v1/customers/:id', tag: 'customers', auth: 'user', body: patchCustomerSchema,
    summary: 'Flag or unflag a customer as vulnerable, with a note (supervisors); recorded as an event',
    responses: { 200: 'the customer', 401: 'not signed in', 403: 'role too low', 404: 'no such customer', 409: 'customer was merged', 422: 'invalid body' },
  });
  app.patch('/api/v1/customers/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'customer');
    const body = parseBody(patchCustomerSchema, request.body);
    return { data: await setCustomerVulnerable(ctx.db, principal, id, { vulnerable: body.vulnerable, note: body.note || null }) };
  });

  docs.add({
    method: 'post', path: '/api/v1/customers/:id/identities', tag: 'customers', auth: 'user', body: addIdentitySchema,
    summary: "Add a verified identity (email and phone are normalised); another customer's value is a 409, or a merge with merge: true (supervisors)",
    responses: {
      201: 'the identity (and the merge, if one happened)', 401: 'not signed in', 403: 'merge needs the supervisor role',
      404: 'no such customer', 409: 'the value belongs to another customer (details name it)', 422: 'invalid identity',
    },
  });
  app.post('/api/v1/customers/:id/identities', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'customer');
    const body = parseBody(addIdentitySchema, request.body);
    if (body.merge) requireRole(principal, 'supervisor');
    return reply.status(201).send({ data: await addCustomerIdentity(ctx.db, principal, id, body) });
  });

  docs.add({
    method: 'post', path: '/api/v1/customers/:id/merge', tag: 'customers', auth: 'user', body: mergeSchema,
    summary: 'Merge two customers (supervisors): the one first in touch survives; authors, identities and cases move',
    responses: {
      201: 'the merge', 401: 'not signed in', 403: 'role too low', 404: 'no such customer',
      409: 'one of them was already merged', 422: 'invalid body or unknown other customer',
    },
  });
  app.post('/api/v1/customers/:id/merge', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'customer');
    const body = parseBody(mergeSchema, request.body);
    return reply.status(201).send({ data: await mergeCustomersByHand(ctx.db, principal, id, body) });
  });

  docs.add({
    method: 'post', path: '/api/v1/customer-merges/:id/undo', tag: 'customers', auth: 'user',
    summary: 'Un-merge (supervisors): moves back exactly the authors, identities and cases the merge moved',
    responses: { 200: 'the merge, now undone, and what was restored', 401: 'not signed in', 403: 'role too low', 404: 'no such merge', 409: 'already undone, or a later merge must be undone first' },
  });
  app.post('/api/v1/customer-merges/:id/undo', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const { id } = parseParams(mergeParamsSchema, request.params);
    if (!isUuid(id)) throw notFound('merge');
    return { data: await undoMerge(ctx.db, principal, id) };
  });

  docs.add({
    method: 'get', path: '/api/v1/customers/:id/suggestions', tag: 'customers', auth: 'user', query: suggestionQuerySchema,
    summary: 'Suggested links from weak evidence (same name elsewhere, similar handles, transcripts…) involving this customer',
    responses: { 200: 'the suggestions', 400: 'bad status', 401: 'not signed in', 404: 'no such customer' },
  });
  app.get('/api/v1/customers/:id/suggestions', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'customer');
    const { status } = parseParams(suggestionQuerySchema, request.query);
    return { data: await listCustomerSuggestions(ctx.db, principal.workspaceId, id, status) };
  });

  docs.add({
    method: 'post', path: '/api/v1/customers/:id/suggestions', tag: 'customers', auth: 'user',
    summary: "Compare the customer's accounts with other platforms' again and raise new suggestions",
    responses: { 200: 'how many were raised and the open suggestions', 401: 'not signed in', 404: 'no such customer', 409: 'customer was merged' },
  });
  app.post('/api/v1/customers/:id/suggestions', async (request) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'customer');
    return { data: await rescanCustomerSuggestions(ctx.db, principal.workspaceId, id) };
  });

  docs.add({
    method: 'post', path: '/api/v1/customers/:id/suggestions/:sid/accept', tag: 'customers', auth: 'user',
    summary: 'Confirm a suggestion: merge the two customers, or add the identity as verified',
    responses: { 200: 'the decided suggestion and any merge', 401: 'not signed in', 404: 'no such suggestion for this customer', 409: 'already decided' },
  });
  app.post('/api/v1/customers/:id/suggestions/:sid/accept', async (request) => {
    const principal = await authenticate(ctx, request);
    const { id, sid } = suggestionIdsOf(request.params);
    return { data: await acceptSuggestion(ctx.db, principal, id, sid) };
  });

  docs.add({
    method: 'post', path: '/api/v1/customers/:id/suggestions/:sid/dismiss', tag: 'customers', auth: 'user',
    summary: 'Dismiss a suggestion; the same evidence never raises it again',
    responses: { 200: 'the decided suggestion', 401: 'not signed in', 404: 'no such suggestion for this customer', 409: 'already decided' },
  });
  app.post('/api/v1/customers/:id/suggestions/:sid/dismiss', async (request) => {
    const principal = await authenticate(ctx, request);
    const { id, sid } = suggestionIdsOf(request.params);
    return { data: await dismissSuggestion(ctx.db, principal, id, sid) };
  });
}
