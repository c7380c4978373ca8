import net from 'node:net';
import { MemoryTokenBucket, RedisTokenBucket, addressKey } from '../../src/hardening/rate-limit';

describe('MemoryTokenBucket', () => {
  test('allows the burst, then refuses with the wait until the next token; refills at the rate', async () => {
    let now = 1_000_000;
    const bucket = new MemoryTokenBucket({ perMinute: 30, burst: 2 }, () => now); // one token every 2 s
    expect((await bucket.take('a')).allowed).toBe(true);
    expect((await bucket.take('a')).allowed).toBe(true);
    expect(await bucket.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    expect((await bucket.take('b')).allowed).toBe(true); // buckets are per client
    now += 1000;
    expect(await bucket.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    now += 1000;
    expect((await bucket.take('a')).allowed).toBe(true);
    now += 60_000; // a long pause refills to the burst, not beyond
    expect((await bucket.take('a')).remaining).toBe(1);
  });
});

describe('addressKey', () => {
  test('an IPv6 client is keyed by its /64, however it writes the address; IPv4 (also mapped into IPv6) by its address', () => {
    const key = addressKey('2001:db8:1:2::1');
    for (const same of ['2001:db8:1:2::ffff', '2001:0db8:0001:0002:abcd:1:2:3', '2001:db8:1:2:0:0:0:1%eth0', '2001:db8:1:2::10.0.0.1']) expect(addressKey(same)).toBe(key);
    expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('203.0.113.10')).not.toBe(addressKey('203.0.113.9'));
  });

  test('a port a proxy wrote after the address is no part of the key (each connection got a bucket of its own)', () => {
    expect(addressKey('203.0.113.5:51234')).toBe('203.0.113.5');
    expect(addressKey('[2001:db8:1:2::1]:443')).toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('[2001:db8:1:2::1]')).toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('[fe80::1%eth0]:8080')).toBe(addressKey('fe80::1'));
    expect(addressKey('[::ffff:203.0.113.5]:443')).toBe('203.0.113.5');
  });
});

async function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(6379, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('RedisTokenBucket', () => {
  test('two servers share one bucket through Redis', async () => {
    if (!(await redisReachable())) {
      console.warn('Redis is not running on 127.0.0.1:6379: the shared-bucket test cannot run here');
      return;
    }
    const key = `test-${process.pid}-${Date.now()}`;
    const serverA = new RedisTokenBucket('redis://127.0.0.1:6379', { perMinute: 1, burst: 3 }, undefined, 'gongjian-test:');
    const serverB = new RedisTokenBucket('redis://127.0.0.1:6379', { perMinute: 1, burst: 3 }, undefined, 'gongjian-test:');
    try {
      const answers = [await serverA.take(key), await serverB.take(key), await serverA.take(key), await serverB.take(key)];
      expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, false]);
      expect(answers[3].retryAfterSeconds).toBeGreaterThan(50);
    } finally {
      await serverA.close();
      await serverB.close();
    }
  });

  test('with Redis down past start-up, the memory bucket answers at once and the outage is logged once', async () => {
    const warnings: string[] = [];
    const down = new RedisTokenBucket('redis://127.0.0.1:1', { perMinute: 600, burst: 100 }, { warn: (message: string) => void warnings.push(message) }, 'gongjian-test:', 0);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the first connection attempt has failed by now
      const started = performance.now();
      for (let i = 0; i < 20; i++) expect((await down.take('x')).allowed).toBe(true);
      // Each take used to wait out the 500 ms command timeout: 20 takes took 10 s.
      expect(performance.now() - started).toBeLessThan(200);
      expect(warnings).toHaveLength(1);
    } finally {
      await down.close();
    }
  });

    test('with Redis unreachable, each server keeps limiting from its own memory', async () => {
    const unreachable = new RedisTokenBucket('redis://127.0.0.1:1', { perMinute: 1, burst: 1 });
    try {
      expect((await unreachable.take('x')).allowed).toBe(true);
      expect((await unreachable.take('x')).allowed).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});

describe('MemoryTokenBucket under a flood of new clients', () => {
  test('keeps at most its cap of buckets, dropping the least recently used, and remembers a client still sending', async () => {
    const now = 1_000_000; // a fixed clock: no bucket refills, so none is ever full again (nothing "free" to prune)
    const bucket = new MemoryTokenBucket({ perMinute: 60, burst: 3 }, () => now, 1_000);
    for (let i = 0; i < 3; i += 1) await bucket.take('steady');
    expect((await bucket.take('steady')).allowed).toBe(false);
    for (let i = 0; i < 5_000; i += 1) {
      await bucket.take(`flood-${i}`);
      if (i % 100 === 0) expect((await bucket.take('steady')).allowed).toBe(false); // still empty: not forgotten
      expect(bucket.size).toBeLessThanOrEqual(1_000);
    }
    expect(bucket.size).toBeGreaterThanOrEqual(900);
    // The oldest flood clients were dropped: they start again with a full bucket.
    expect((await bucket.take('flood-0')).remaining).toBe(2);
  });
});
