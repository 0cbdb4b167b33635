import { z } from 'zod';

export const privateConversationParamsSchema = z.object({ token: z.string().max(200) });

/**
 * A message written through a secure link. Not strict: a plain HTML form posts its submit button too. Lengths are
 * hard ceilings; the web form channel's own `maxLength` and `maxLinks` are checked after.
 */
export const privateMessageSchema = z.object({
  name: z.string().trim().max(200).optional(),
  email: z.email().max(254),
  message: z.string().trim().min(1).max(20_000),
  token: z.string().min(1).max(200),
  // The honeypot: hidden from people, filled by bots.
  website: z.string().max(2_000).optional(),
});
export type PrivateMessageBody = z.infer<typeof privateMessageSchema>;
