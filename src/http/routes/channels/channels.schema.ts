import { z } from 'zod';
import { channelKinds } from '../../../features/channels/index.ts';

export const channelParamsSchema = z.object({ id: z.string() });

export const createChannelSchema = z
  .object({
    kind: z.enum(channelKinds),
    name: z.string().trim().min(1).max(200),
    owned: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}),
    credentials: z.record(z.string(), z.string().max(8192)).optional(),
  })
  .strict();
