import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import {
  createApiToken,
  createSession,
  createUser,
  deleteSession,
  findUser,
  findWorkspace,
  listUsers,
  verifyLogin,
} from '../../../features/accounts/index.ts';
import type { Principal, User } from '../../../features/accounts/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, clearSessionCookie, requireRole, setSessionCookie } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody } from '../../validation.ts';
import { createTokenSchema, createUserSchema, loginSchema } from './session.schema.ts';

const presentUser = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role });

async function describeSession(ctx: AppContext, principal: Principal) {
  const [user, workspace] = await Promise.all([
    findUser(ctx.db, principal.workspaceId, principal.userId),
    findWorkspace(ctx.db, principal.workspaceId),
  ]);
  if (!user || !workspace) throw new AppError('unauthorized', 'the session no longer matches a user');
  return { user: presentUser(user), workspace, csrfToken: principal.csrfToken ?? null };
}

export function registerSessionRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'post', path: '/api/v1/session', tag: 'accounts', auth: 'none', body: loginSchema,
    summary: 'Sign in with email and password; sets an httpOnly session cookie and returns the CSRF token',
    responses: { 200: 'signed in', 401: 'wrong email or password', 422: 'invalid body', 429: 'too many attempts' },
  });
  app.post('/api/v1/session', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseBody(loginSchema, request.body);
    const user = await verifyLogin(ctx.db, body.email, body.password, body.workspace);
    if (!user) throw new AppError('invalid_credentials', 'wrong email or password');
    const session = await createSession(ctx.db, user.workspaceId, user.id, ctx.clock.now());
    setSessionCookie(ctx, reply, session.token);
    const workspace = await findWorkspace(ctx.db, user.workspaceId);
    return { data: { user: presentUser(user), workspace, csrfToken: session.csrfToken } };
  });

  docs.add({
    method: 'get', path: '/api/v1/session', tag: 'accounts', auth: 'user',
    summary: 'The signed-in user, their workspace and the CSRF token', responses: { 200: 'the session', 401: 'not signed in' },
  });
  app.get('/api/v1/session', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: await describeSession(ctx, principal) };
  });

  docs.add({
    method: 'delete', path: '/api/v1/session', tag: 'accounts', auth: 'user',
    summary: 'Sign out', responses: { 204: 'signed out', 401: 'not signed in', 403: 'CSRF token missing' },
  });
  app.delete('/api/v1/session', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    if (principal.sessionId) await deleteSession(ctx.db, principal.workspaceId, principal.sessionId);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  docs.add({
    method: 'post', path: '/api/v1/tokens', tag: 'accounts', auth: 'user', body: createTokenSchema,
    summary: 'Create an API token for the signed-in user (shown once)', responses: { 201: 'created', 401: 'not signed in', 422: 'invalid body' },
  });
  app.post('/api/v1/tokens', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const body = parseBody(createTokenSchema, request.body);
    const token = await createApiToken(ctx.db, principal.workspaceId, principal.userId, body.name);
    return reply.status(201).send({ data: token });
  });

  docs.add({
    method: 'get', path: '/api/v1/users', tag: 'accounts', auth: 'user',
    summary: "The workspace's users", responses: { 200: 'users', 401: 'not signed in' },
  });
  app.get('/api/v1/users', async (request) => {
    const principal = await authenticate(ctx, request);
    return { data: (await listUsers(ctx.db, principal.workspaceId)).map(presentUser) };
  });

  docs.add({
    method: 'post', path: '/api/v1/users', tag: 'accounts', auth: 'user', body: createUserSchema,
    summary: 'Create a user (admins only)', responses: { 201: 'created', 401: 'not signed in', 403: 'not an admin', 409: 'email taken', 422: 'invalid body' },
  });
  app.post('/api/v1/users', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'admin');
    const body = parseBody(createUserSchema, request.body);
    const user = await createUser(ctx.db, { ...body, workspaceId: principal.workspaceId });
    return reply.status(201).send({ data: presentUser(user) });
  });
}
