import { z } from 'zod';
import { normalizePhone } from '../../../features/channels/index.ts';
import { callbackOutcomes } from '../../../features/callbacks/index.ts';

export const callbackParamsSchema = z.object({ id: z.string().max(64), callbackId: z.string().max(64) });

/** A phone number as typed by an agent, stored as E.164; numbers without a +country prefix are rejected. */
const phone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .transform((value, context) => {
    const e164 = normalizePhone(value);
    if (!e164) {
      context.addIssue({ code: 'custom', message: 'not a phone number; write it with its country code, e.g. +14155550100' });
      return z.NEVER;
    }
    return e164;
  });

export const logCallSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    phone: phone.optional(),
    durationSeconds: z.number().int().min(0).max(24 * 3600),
    summary: z.string().trim().min(1).max(5_000),
  })
  .strict();

export const scheduleCallbackSchema = z
  .object({
    dueAt: z.iso.datetime({ offset: true }),
    phone: phone.optional(),
    note: z.string().trim().min(1).max(2_000).optional(),
  })
  .strict();

export const completeCallbackSchema = z
  .object({
    outcome: z.enum(callbackOutcomes),
    note: z.string().trim().min(1).max(2_000).optional(),
  })
  .strict();
