import express from 'express';
import { z } from 'zod';

/**
 * Every setting the server reads from the environment, validated once at boot.
 * A bad value stops start-up with one line naming the variable (see `loadConfig`).
 */
const booleanFlag = z
  .string()
  .transform((value, ctx) => {
    const normalised = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
    if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be true or false' });
    return z.NEVER;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int('must be a whole number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535').default(4000),
  /** Use this PostgreSQL server instead of starting the embedded one. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the demo city when the database has no areas yet. */
  SEED_DEMO: booleanFlag.default('true'),
  SEED_SCALE: z.enum(['small', 'city']).default('small'),
  /**
   * Generated one-window service records loaded with the demo city (through the import path),
   * covering the two years up to the day before seeding; 0 loads none.
   */
  SEED_RECORDS: z.coerce.number().int('must be a whole number').min(0, 'must be 0-5000000').max(5_000_000, 'must be 0-5000000').default(100_000),
  /** Where the embedded PostgreSQL keeps its data; survives restarts. */
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  EMBEDDED_PG_PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(0),
  /** Largest time a single SQL statement may run, in milliseconds. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int('must be a whole number').min(100).default(15000),
  DB_POOL_MAX: z.coerce.number().int('must be a whole number').min(1).max(100).default(10),
  /** How long a request may take before the client gets a 503; the statement timeout bounds the database side. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int('must be a whole number').min(100).default(30000),
  /** Token bucket per client: sustained requests per minute, and the burst allowed on top. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int('must be a whole number').min(1).default(600),
  RATE_LIMIT_BURST: z.coerce.number().int('must be a whole number').min(1).default(100),
  /** Share rate-limit buckets between servers through Redis (redis://host:port); in memory when unset. */
  /** Signs access tokens (HS256); at least 32 characters. Required in production; a random one per process otherwise. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys the resident hashes of imported records (HMAC-SHA256). Required in production: the development default is in the source. */
  RESIDENT_HASH_SALT: z.string().min(16, 'must be at least 16 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int('must be a whole number').min(60).max(86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int('must be a whole number').min(1).max(365).default(30),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * Which proxies' X-Forwarded-For is believed for a client's address (rate limits of callers without
   * a credential, logs): Express's `trust proxy`, as addresses, subnets or loopback / linklocal /
   * uniquelocal, comma-separated; a number of hops; or false for none. A proxy on another host must
   * be named, or every caller it forwards shares its one bucket.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, ctx) => {
      const normalised = value.trim().toLowerCase();
      if (['false', 'none', 'off'].includes(normalised)) return false;
      if (/^\d+$/.test(normalised)) return Number(normalised);
      const list = value.split(',').map((entry) => entry.trim()).filter(Boolean);
      try {
        express().set('trust proxy', list); // compiles the list as the server will, throwing on a bad entry
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be false, a number of hops, or addresses, subnets and loopback/linklocal/uniquelocal (${(error as Error).message})` });
        return z.NEVER;
      }
      return list;
    }),
});

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Reads and validates configuration. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const shown = ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'RESIDENT_HASH_SALT'].includes(name) ? '(hidden)' : JSON.stringify(relevant[name]);
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${shown})`);
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET must be set in production (at least 32 characters)');
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.RESIDENT_HASH_SALT) {
    // With the public default, a resident hash of an ID number can be reversed by trying every plausible number.
    throw new ConfigError('Invalid configuration: RESIDENT_HASH_SALT must be set in production (at least 16 characters)');
  }
  return parsed.data;
}
