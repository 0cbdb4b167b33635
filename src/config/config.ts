import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PARLEY_DATA_DIR: z.string().min(1).default('./.parley'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  PARLEY_SECRET_KEY: z.string().optional(),
  /** Keys PARLEY_SECRET_KEY replaced, comma-separated: still accepted for decryption while `parley secrets rotate` runs. */
  PARLEY_SECRET_KEY_PREVIOUS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0)),
  PARLEY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARLEY_THREAD_WINDOW_HOURS: z.coerce.number().positive().default(72),
  PARLEY_DEMO_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  PARLEY_COOKIE_SECURE: booleanFlag.optional(),
  PARLEY_DB_POOL_SIZE: z.coerce.number().int().positive().max(200).default(10),
  /** Ingest and webhook requests in flight before more are turned away with 503 (docs/SCALING.md); default 8 per connection. */
  PARLEY_MAX_IN_FLIGHT: z.coerce.number().int().positive().max(100_000).optional(),
  /** The URL the outside world reaches Parley at (webhook signatures, TwiML callback URLs). */
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Outbound webhooks to private and loopback addresses: refused when NODE_ENV=production unless this allows them. */
  PARLEY_WEBHOOK_ALLOW_PRIVATE: booleanFlag.optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  secretKeyPrevious: string[];
  logLevel: Env['PARLEY_LOG_LEVEL'];
  threadWindowHours: number;
  demoIntervalMs: number;
  cookieSecure: boolean;
  maxInFlight: number;
  dbPoolSize: number;
  publicUrl: string | undefined;
  /** Whether outbound webhooks may target private and loopback addresses (docs/WEBHOOKS.md). */
  webhookAllowPrivate: boolean;
}

/** Reads and validates the environment once; flags given on the command line win over it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const base: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.PARLEY_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    secretKey: e.PARLEY_SECRET_KEY,
    secretKeyPrevious: e.PARLEY_SECRET_KEY_PREVIOUS,
    logLevel: e.PARLEY_LOG_LEVEL,
    threadWindowHours: e.PARLEY_THREAD_WINDOW_HOURS,
    demoIntervalMs: e.PARLEY_DEMO_INTERVAL_MS,
    cookieSecure: e.PARLEY_COOKIE_SECURE ?? false,
    dbPoolSize: e.PARLEY_DB_POOL_SIZE,
    maxInFlight: e.PARLEY_MAX_IN_FLIGHT ?? e.PARLEY_DB_POOL_SIZE * 8,
    publicUrl: e.PARLEY_PUBLIC_URL,
    webhookAllowPrivate: e.PARLEY_WEBHOOK_ALLOW_PRIVATE ?? env.NODE_ENV !== 'production',
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...base, ...defined };
}
