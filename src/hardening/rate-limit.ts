import type express from 'express';
import ipaddr from 'ipaddr.js';
import Redis from 'ioredis';
import type { Logger } from '../common/logger';
import { ErrorCode, httpStatusOf } from '../common/errors';
import type { Viewer } from '../context/context';

/** The answer for one request: go ahead, or wait `retryAfterSeconds`. */
export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
  close(): Promise<void>;
}

export interface BucketSettings {
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** Bucket size (the burst allowed on top of the rate). */
  burst: number;
}

/** Token bucket in this process's memory: one server. */
export class MemoryTokenBucket implements RateLimiter {
  /** Buckets in the order they were last used (a Map keeps insertion order; take() re-inserts). */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = Date.now,
    /** At most this many buckets are kept (memory stays bounded under a flood of addresses). */
    private readonly maxBuckets = 100_000,
  ) {}

  async take(key: string): Promise<RateDecision> {
    const now = this.now();
    const perMs = this.settings.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, at: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) this.prune(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / perMs / 1000) };
  }

  /**
   * Full buckets carry no information: dropped. Then, if a flood of new clients left none full, the
   * least recently used, down to 90 % of the cap: every prune frees a tenth, so its scan is paid once
   * per maxBuckets / 10 takes (pruning full buckets only, a flood kept the map at the cap and scanned
   * all of it on every request). A client dropped that way starts again with a full bucket: the
   * oldest, so the least likely to be the one sending now.
   */
  private prune(now: number): void {
    const perMs = this.settings.perMinute / 60_000;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.settings.burst) this.buckets.delete(key);
    }
    const keep = Math.floor(this.maxBuckets * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= keep) break;
      this.buckets.delete(key);
    }
  }

  /** How many buckets are kept (tests). */
  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}

/** Refill and take in one atomic step on the Redis server, so every server shares the bucket. */
const TAKE_SCRIPT = `
local key = KEYS[1]
local per_ms = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', key, math.ceil(burst / per_ms) + 1000)
return { allowed, tostring(tokens) }
`;

/**
 * Token bucket in Redis, shared by every server using the same REDIS_URL. If Redis is
 * unreachable, this server falls back to its own memory bucket rather than refusing or
 * waving everyone through.
 */
export class RedisTokenBucket implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback: MemoryTokenBucket;

  constructor(
    url: string,
    private readonly settings: BucketSettings,
    private readonly logger?: Pick<Logger, 'warn'>,
    private readonly prefix = 'gongjian:rate:',
    /** How long after start-up commands may wait for the first connection. */
    startupWaitMs = 2000,
  ) {
    // Commands wait for the connection at start-up, but never longer than 500 ms: then the memory bucket answers.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: 500, connectTimeout: 2000 });
    this.redis.on('error', () => undefined); // reported once per outage below, not as unhandled events
    this.fallback = new MemoryTokenBucket(settings);
    this.startupUntil = Date.now() + startupWaitMs;
  }

  private readonly startupUntil: number;
  /** Whether this outage was logged already: once per outage, not once per request. */
  private outageLogged = false;

  async take(key: string): Promise<RateDecision> {
    // Past start-up, a connection that is not up answers from memory at once: queued, every command
    // waited out its 500 ms, so each request took half a second longer for as long as Redis was down.
    if (this.redis.status !== 'ready' && Date.now() > this.startupUntil) return this.fromMemory(key);
    const perMs = this.settings.perMinute / 60_000;
    try {
      const [allowed, tokens] = (await this.redis.eval(TAKE_SCRIPT, 1, this.prefix + key, perMs, this.settings.burst, Date.now())) as [number, string];
      const left = Number(tokens);
      return allowed === 1
        ? { allowed: true, remaining: Math.floor(left), retryAfterSeconds: 0 }
        : { allowed: false, remaining: 0, retryAfterSeconds: Math.ceil((1 - left) / perMs / 1000) };
    } catch {
      return this.fromMemory(key);
    }
  }

  private fromMemory(key: string): Promise<RateDecision> {
    if (!this.outageLogged) {
      this.outageLogged = true;
      this.logger?.warn('rate limiter: Redis unreachable, using this server\'s memory bucket until it is back');
      this.redis.once('ready', () => (this.outageLogged = false));
    }
    return this.fallback.take(key);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }
}

export function createRateLimiter(options: { redisUrl?: string; settings: BucketSettings; logger?: Pick<Logger, 'warn'> }): RateLimiter {
  return options.redisUrl ? new RedisTokenBucket(options.redisUrl, options.settings, options.logger) : new MemoryTokenBucket(options.settings);
}

/**
 * Who a bucket belongs to: the verified account or API key (see the identify middleware,
 * which runs first and leaves `res.locals.viewer`), else the client address. A request with a
 * bad credential counts against its address, so guessing tokens is limited too.
 */
export function clientKey(req: express.Request, res: express.Response): string {
  const viewer = res.locals.viewer as Viewer | undefined;
  if (viewer?.kind === 'account') return `account:${viewer.accountId}`;
  if (viewer?.kind === 'portal') return `key:${viewer.apiKeyId}`;
  return `ip:${addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/**
 * The address a bucket is kept for. An IPv6 client holds a whole /64 (a LAN, or one phone on a
 * mobile network) and may send from any address in it: keyed per address, each new one got a full
 * bucket. An IPv4 address mapped into IPv6 (`::ffff:1.2.3.4`, a dual-stack socket) is that IPv4 address.
 * A port is dropped: some proxies write `1.2.3.4:51234` or `[2001:db8::1]:443` into X-Forwarded-For,
 * and each connection of one client got a bucket of its own.
 */
export function addressKey(address: string): string {
  const withoutPort = /^\[([^\]]+)\](?::\d+)?$/.exec(address)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address)?.[1] ?? address;
  const bare = withoutPort.split('%')[0]!;
  if (!ipaddr.isValid(bare)) return address;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}

/** 429 with Retry-After and a GraphQL-shaped RATE_LIMITED error once a client's bucket is empty. */
export function rateLimitMiddleware(limiter: RateLimiter): express.RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.take(clientKey(req, res));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return next();
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    res.status(httpStatusOf(ErrorCode.RATE_LIMITED)).json({
      errors: [
        {
          message: `Too many requests: try again in ${decision.retryAfterSeconds} s`,
          extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds },
        },
      ],
    });
  };
}
