import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js';
import { countryOf } from './phone-number.ts';

/** channel.config of a phone channel (see docs/CHANNELS.md). */
export const phoneConfigSchema = z.object({
  /** The origin (and path prefix) Twilio calls Parley at; overrides PARLEY_PUBLIC_URL for this channel. */
  publicUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  /** Country for numbers written without a +prefix (ISO 3166, e.g. "US"). */
  defaultCountry: z.string().regex(/^[A-Za-z]{2}$/).optional(),
  greeting: z.string().min(1).max(1000).default('Thank you for calling. Please leave a message after the tone and we will call you back.'),
  goodbye: z.string().min(1).max(1000).default('Thank you. Goodbye.'),
  language: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/).default('en-US'),
  maxRecordingSeconds: z.number().int().min(5).max(3600).default(120),
  transcribe: z.boolean().default(true),
});
export type PhoneConfig = z.infer<typeof phoneConfigSchema> & { country: CountryCode | undefined };

/** The channel's phone settings; a setting that does not validate falls back to its default rather than failing calls. */
export function phoneConfigOf(config: Record<string, unknown>): PhoneConfig {
  const parsed = phoneConfigSchema.safeParse(config);
  const base = parsed.success ? parsed.data : phoneConfigSchema.parse({});
  return { ...base, publicUrl: parsed.success ? base.publicUrl : undefined, country: countryOf(base.defaultCountry) };
}
