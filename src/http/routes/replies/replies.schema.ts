import { z } from 'zod';
import { privateRoutes, replyStatuses } from '../../../features/replies/index.ts';


const replyText = z.string().trim().min(1, 'a reply needs text').max(10_000);

export const createReplySchema = z
  .object({
    text: replyText,
    /** Defaults to the channel of the message answered, else the channel the customer last wrote on. */
    channelId: z.uuid().optional(),
    /** A private reply: a DM, a direct status, Messenger; email and phone are always private. */
    private: z.boolean().optional(),
    /** Defaults to the customer's newest message on the channel. */
    inReplyToMessageId: z.uuid().optional(),
    /**
     * Send a draft too long for one post as a numbered thread, each post answering the one before (public replies
     * on X, Bluesky and Mastodon); the answer lists every part.
     */
    split: z.boolean().optional(),
  })
  .strict();

export const editReplySchema = z.object({ text: replyText }).strict();

export const approveReplySchema = z.object({ note: z.string().trim().min(1).max(2_000).optional() }).strict();

export const rejectReplySchema = z.object({ reason: z.string().trim().min(1, 'say why the reply is rejected').max(2_000) }).strict();

export const confirmReplySchema = z
  .object({
    sent: z.boolean(),
    /** The link of the reply on the site (required to confirm a blog or forum reply as sent). */
    url: z.url({ protocol: /^https?$/ }).max(2_048).optional(),
    /** The platform's id of the post, when the agent knows it. */
    externalId: z.string().trim().min(1).max(256).optional(),
  })
  .strict();

const statusList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.enum(replyStatuses)).min(1));

export const listRepliesQuerySchema = z
  .object({
    status: statusList.default(['held']),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const approvalSettingsSchema = z
  .object({
    followerThreshold: z.number().int().min(0).max(2_000_000_000),
    extraLegalTerms: z.array(z.string().trim().min(2).max(60)).max(200).default([]),
  })
  .strict();

export const movePrivateSchema = z
  .object({
    /** The short public answer; a default acknowledgement when omitted. */
    acknowledgement: z.string().trim().min(1).max(1_000).optional(),
    privateText: replyText,
    /** dm, email or link; auto (the default) takes the first possible in that order. */
    via: z.enum(['auto', ...privateRoutes]).optional(),
  })
  .strict();
