import { z } from 'zod';

const externalId = z.string().trim().min(1).max(256);

export const inboundAuthorSchema = z
  .object({
    /** The platform the identity belongs to; defaults to the channel's kind. */
    platform: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'platform must be lowercase letters, digits, - or _')
      .optional(),
    externalId,
    handle: z.string().max(256).optional(),
    displayName: z.string().max(256).optional(),
    followerCount: z.number().int().min(0).max(2_000_000_000).optional(),
  })
  .strict();

/** One message in Parley's normalized shape, the same for every channel. */
export const inboundMessageSchema = z
  .object({
    externalId,
    direction: z.enum(['inbound', 'outbound']).default('inbound'),
    text: z.string().max(20_000),
    author: inboundAuthorSchema,
    /** Who spoke for the brand on an outbound message. */
    senderName: z.string().max(256).optional(),
    replyToExternalId: externalId.optional(),
    isPublic: z.boolean().default(true),
    sentAt: z.iso.datetime({ offset: true }).optional(),
    raw: z.unknown().optional(),
  })
  .strict();

export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;

export const maxBatchSize = 500;

export const inboundBatchSchema = z
  .object({ messages: z.array(inboundMessageSchema).min(1).max(maxBatchSize) })
  .strict();

/** Text from strangers: PostgreSQL text cannot hold NUL, and lone surrogates are not valid UTF-8. */
export function sanitizeText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/** The raw platform payload, made storable as jsonb (same rules as text, applied to every string inside). */
export function sanitizeRaw(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  const json = JSON.stringify(raw, (_key, value: unknown) => (typeof value === 'string' ? sanitizeText(value) : value));
  return json === undefined ? undefined : JSON.parse(json);
}
