import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { safeEqual } from '../platform/crypto.ts';
import { findSessionPrincipal, findTokenPrincipal, hasRole, sessionLifetimeMs } from '../features/accounts/index.ts';
import type { Principal, Role } from '../features/accounts/index.ts';
import type { AppContext } from './app-context.ts';

export const sessionCookie = 'parley_session';
export const csrfHeader = 'x-csrf-token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Resolves the caller from an API token (`Authorization: Bearer pat_…`) or the session cookie. Cookie-authenticated
 * requests that change something must echo the session's CSRF token in the `x-csrf-token` header.
 */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const token = bearerToken(request);
  if (token) {
    const principal = token.startsWith('pat_') ? await findTokenPrincipal(ctx.db, token) : null;
    if (!principal) throw new AppError('unauthorized', 'the API token is unknown or revoked');
    return principal;
  }
  const cookie = request.cookies[sessionCookie];
  if (!cookie) throw new AppError('unauthorized', 'sign in or send an API token');
  const principal = await findSessionPrincipal(ctx.db, cookie, ctx.clock.now());
  if (!principal) throw new AppError('unauthorized', 'the session has expired; sign in again');
  if (!safeMethods.has(request.method)) {
    const sent = request.headers[csrfHeader];
    if (typeof sent !== 'string' || !principal.csrfToken || !safeEqual(sent, principal.csrfToken)) {
      throw new AppError('csrf_failed', `missing or wrong ${csrfHeader} header`);
    }
  }
  return principal;
}

export function requireRole(principal: Principal, role: Role): void {
  if (!hasRole(principal.role, role)) throw new AppError('forbidden', `this action needs the ${role} role`);
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.cookieSecure,
    maxAge: Math.floor(sessionLifetimeMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: '/' });
}
