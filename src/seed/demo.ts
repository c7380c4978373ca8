import type { EntityManager } from '@mikro-orm/postgresql';
import { seedDemoAccounts, type DemoAccount } from './demo-accounts';
import { seedDemoCity, type SeedCounts, type SeedScale } from './demo-city';
import { seedDemoRequests, type DemoRequestCounts } from './demo-requests';

export interface DemoOptions {
  scale: SeedScale;
  seed?: number;
  /** Demo sign-ins (known password, public portal key): never in production. */
  withAccounts: boolean;
  /** The end of the demo's time spread (default: now); tests pin it. */
  now?: Date;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DemoCounts {
  city: SeedCounts;
  requests: DemoRequestCounts;
  accounts: DemoAccount[];
}

/**
 * Everything a fresh `npm start` shows, in one place: the city, resident requests over the
 * last months, and (outside production) sign-ins. The start-up seeding, `npm run seed` and the
 * README's tests all call this, so the README's IDs and numbers are what a newcomer sees.
 * Run inside a transaction.
 */
export async function seedDemo(em: EntityManager, options: DemoOptions): Promise<DemoCounts> {
  const city = await seedDemoCity(em, { scale: options.scale, seed: options.seed, onProgress: options.onProgress });
  const requests = await seedDemoRequests(em, { scale: options.scale, seed: options.seed, now: options.now });
  const accounts = options.withAccounts ? await seedDemoAccounts(em) : [];
  return { city, requests, accounts };
}
