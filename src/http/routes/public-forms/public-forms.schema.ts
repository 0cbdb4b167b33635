import { z } from 'zod';

export const formParamsSchema = z.object({ channelId: z.string().max(64) });

/** Lengths here are hard ceilings; the channel's own `maxLength` and `maxLinks` are checked after. */
export const formSubmissionSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  subject: z.string().trim().max(200).optional(),
  message: z.string().trim().min(1).max(20_000),
  token: z.string().min(1).max(200),
  // The honeypot: hidden from people, filled by bots.
  website: z.string().max(2_000).optional(),
});
