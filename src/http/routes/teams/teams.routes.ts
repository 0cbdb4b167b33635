import type { FastifyInstance } from 'fastify';
import { changeTeam, createTeam, getTeams, removeTeam } from '../../../features/cases/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseBody } from '../../validation.ts';
import { createTeamSchema, patchTeamSchema } from './teams.schema.ts';

export function registerTeamRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/teams', tag: 'teams', auth: 'user',
    summary: 'Teams with their routing rules (topics, languages, skills, tier) and members with capacity and open cases',
    responses: { 200: 'the teams', 401: 'not signed in', 403: 'supervisors and admins only' },
  });
  app.get('/api/v1/teams', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    return { data: await getTeams(ctx.db, principal) };
  });

  docs.add({
    method: 'post', path: '/api/v1/teams', tag: 'teams', auth: 'user', body: createTeamSchema,
    summary: 'Create a team', responses: { 201: 'the team', 401: 'not signed in', 403: 'supervisors and admins only', 409: 'name taken', 422: 'invalid team' },
  });
  app.post('/api/v1/teams', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const body = parseBody(createTeamSchema, request.body);
    return reply.status(201).send({ data: await createTeam(ctx.db, principal, body) });
  });

  docs.add({
    method: 'patch', path: '/api/v1/teams/:id', tag: 'teams', auth: 'user', body: patchTeamSchema,
    summary: 'Change a team; a members list replaces the current members',
    responses: { 200: 'the team', 401: 'not signed in', 403: 'supervisors and admins only', 404: 'no such team', 409: 'name taken', 422: 'invalid change' },
  });
  app.patch('/api/v1/teams/:id', async (request) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const id = idParamOf(request.params, 'team');
    const body = parseBody(patchTeamSchema, request.body);
    return { data: await changeTeam(ctx.db, principal, id, body) };
  });

  docs.add({
    method: 'delete', path: '/api/v1/teams/:id', tag: 'teams', auth: 'user',
    summary: "Delete a team; its cases return to the shared queue",
    responses: { 204: 'deleted', 401: 'not signed in', 403: 'supervisors and admins only', 404: 'no such team' },
  });
  app.delete('/api/v1/teams/:id', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    await removeTeam(ctx.db, principal, idParamOf(request.params, 'team'));
    return reply.status(204).send();
  });
}
