import { ConfigError, loadConfig } from '../../src/config/env';
import { residentHashSalt } from '../../src/modules/service-data/mapping';

test('defaults: port 4000, embedded database, demo seeding on', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(4000);
  expect(config.DATABASE_URL).toBeUndefined();
  expect(config.SEED_DEMO).toBe(true);
  expect(config.SEED_SCALE).toBe('small');
});

test('reads and converts values; empty strings count as unset', () => {
  const config = loadConfig({ PORT: '8080', SEED_DEMO: 'false', LOG_LEVEL: 'debug', DATABASE_URL: '' });
  expect(config).toMatchObject({ PORT: 8080, SEED_DEMO: false, LOG_LEVEL: 'debug' });
  expect(config.DATABASE_URL).toBeUndefined();
});

test.each([
  [{ PORT: 'abc' }, /^Invalid configuration: PORT /],
  [{ PORT: '70000' }, /^Invalid configuration: PORT /],
  [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL .*\(got \(hidden\)\)$/],
  [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
  [{ SEED_DEMO: 'maybe' }, /^Invalid configuration: SEED_DEMO must be true or false/],
])('a bad value stops with one line naming the variable: %p', (env, message) => {
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
});

test('the database URL (it may hold a password) is never echoed', () => {
  expect(() => loadConfig({ DATABASE_URL: 'secret-password' })).toThrow(/\(got \(hidden\)\)/);
});

test('production needs its own JWT secret and resident-hash salt; the salt is never echoed', () => {
  const secret = 'x'.repeat(32);
  expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret } as NodeJS.ProcessEnv)).toThrow(/RESIDENT_HASH_SALT must be set in production/);
  expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, RESIDENT_HASH_SALT: 'short-salt' } as NodeJS.ProcessEnv)).toThrow(/RESIDENT_HASH_SALT .*\(got \(hidden\)\)$/);
  expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, RESIDENT_HASH_SALT: 'a-long-enough-salt' } as NodeJS.ProcessEnv).RESIDENT_HASH_SALT).toBe('a-long-enough-salt');
  expect(residentHashSalt({} as NodeJS.ProcessEnv)).toBe('gongjian-dev-salt');
});

test('TRUST_PROXY: loopback by default; false, a number of hops, or a list of addresses, subnets and names; anything else stops start-up', () => {
  expect(loadConfig({}).TRUST_PROXY).toEqual(['loopback']);
  expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
  expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,2001:db8::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
  expect(() => loadConfig({ TRUST_PROXY: 'proxy.internal' })).toThrow(/Invalid configuration: TRUST_PROXY must be false, a number of hops/);
});
