import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../../platform/errors.ts';
import { isUuid } from '../../../platform/ids.ts';
import { composerChannelFor, reviewDraft, splitIntoThread, withRequiredMentions } from '../../../features/replies/composer/index.ts';
import type { ComposerChannel } from '../../../features/replies/composer/index.ts';
import { suggestForCase } from '../../../features/replies/knowledge/knowledge.service.ts';
import { findCase, listCustomerTimeline } from '../../../features/cases/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseBody, parseParams } from '../../validation.ts';

const checkSchema = z
  .object({
    text: z.string().max(100_000),
    private: z.boolean().default(false),
    /** The channel kind to answer on; defaults to the case's own channel. */
    channelKind: z.string().max(32).optional(),
  })
  .strict();

const paramsSchema = z.object({ id: z.string() });

/** A thread preview, or null when the draft is too long even for a thread (the length finding says so). */
function threadOrNull(text: string, channel: ComposerChannel): string[] | null {
  try {
    return splitIntoThread(text, channel);
  } catch {
    return null;
  }
}

export function registerComposerRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'post', path: '/api/v1/cases/:id/replies/check', tag: 'replies', auth: 'user', body: checkSchema,
    summary: "Review a draft for a case: the channel's length rule, thread split, personal data in public, tone findings, and policy articles",
    responses: { 200: 'the review', 401: 'not signed in', 404: 'no such case', 422: 'invalid draft' },
  });
  app.post('/api/v1/cases/:id/replies/check', async (request) => {
    const principal = await authenticate(ctx, request);
    const { id } = parseParams(paramsSchema, request.params);
    const found = isUuid(id) ? await findCase(ctx.db, principal.workspaceId, id) : null;
    if (!found) throw notFound('case');
    const body = parseBody(checkSchema, request.body);
    const timeline = await listCustomerTimeline(ctx.db, principal.workspaceId, id);
    const lastInbound = timeline.filter((m) => m.caseId === id && m.direction === 'inbound').at(-1);
    const channel = composerChannelFor(body.channelKind ?? found.channel_kind);
    const isPublic = !body.private && (lastInbound?.isPublic ?? true);
    const text = withRequiredMentions(body.text, channel, lastInbound?.author?.handle ?? null);
    const review = reviewDraft({ text, channel, public: isPublic, inReplyToComplaint: lastInbound?.labels?.complaint ?? false });
    const knowledge = await suggestForCase(ctx.db, principal.workspaceId, { topic: found.topic, text: lastInbound?.text ?? found.subject });
    const thread = review.length.ok ? null : threadOrNull(text, channel);
    return {
      data: {
        channel,
        public: isPublic,
        text,
        ...review,
        blocked: review.personalDataInPublic
          ? 'This public reply contains personal data; move the conversation to a private channel instead.'
          : null,
        thread,
        knowledge,
      },
    };
  });
}
