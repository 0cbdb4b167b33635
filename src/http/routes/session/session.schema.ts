import { z } from 'zod';
import { roles } from '../../../features/accounts/index.ts';

export const loginSchema = z
  .object({
    email: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1024),
    workspace: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const createTokenSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

export const createUserSchema = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(roles),
    password: z.string().min(10).max(1024),
  })
  .strict();
