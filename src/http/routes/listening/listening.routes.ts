import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { convertPostToCase } from '../../../features/cases/index.ts';
import { listMatchedPosts } from '../../../features/listening/index.ts';
import type { MatchedPostCursor } from '../../../features/listening/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { idParamOf, parseParams } from '../../validation.ts';
import { matchedPostsQuerySchema } from './listening.schema.ts';

function encodeCursor(cursor: MatchedPostCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): MatchedPostCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' && value !== null &&
      'at' in value && typeof value.at === 'string' && !Number.isNaN(Date.parse(value.at)) &&
      'id' in value && typeof value.id === 'string' && /^[0-9a-f-]{36}$/i.test(value.id)
    ) {
      return { at: value.at, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'cursor is not one this API returned');
}

/** What listening heard on channels the brand does not own, and turning a post into a case. */
export function registerListeningRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/listening/posts', tag: 'listening', auth: 'user', query: matchedPostsQuerySchema,
    summary: 'Posts heard on listening channels, newest first: the rules each matched, its classification, its case (if any) and any engage/monitor/ignore recommendation',
    responses: { 200: 'a page of posts and the next cursor', 400: 'bad filter or cursor', 401: 'not signed in' },
  });
  app.get('/api/v1/listening/posts', async (request) => {
    const principal = await authenticate(ctx, request);
    const query = parseParams(matchedPostsQuerySchema, request.query);
    const posts = await listMatchedPosts(ctx.db, principal.workspaceId, {
      ruleId: query.rule,
      withoutCase: query.unconverted === 'true',
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = posts.slice(0, query.limit);
    const last = page.at(-1);
    return { data: page, nextCursor: posts.length > query.limit && last ? encodeCursor({ at: last.sentAt, id: last.messageId }) : null };
  });

  docs.add({
    method: 'post', path: '/api/v1/listening/posts/:id/case', tag: 'listening', auth: 'user',
    summary: "Convert a post into a case in one action: it joins the customer's recent open case or opens a new one (idempotent)",
    responses: {
      200: 'the post already had a case: {caseId, converted: false}', 201: 'converted: {caseId, converted: true, caseCreated}',
      401: 'not signed in', 404: 'no such inbound post', 409: 'the customer changed meanwhile; retry', 422: 'the post has no author or classification',
    },
  });
  app.post('/api/v1/listening/posts/:id/case', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    const id = idParamOf(request.params, 'post');
    const outcome = await convertPostToCase(ctx.db, principal, id, { threadWindowHours: ctx.config.threadWindowHours });
    if (outcome.converted) ctx.notifier.notify(principal.workspaceId);
    return reply.status(outcome.converted ? 201 : 200).send({ data: outcome });
  });
}
