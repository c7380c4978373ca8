import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256 } from '../modules/identity/credentials';
import { ApiKey } from '../modules/identity/identity.entity';
import { createAccountIn } from '../modules/identity/identity.service';
import { Role } from '../modules/identity/role';
import { Area } from '../modules/area/area.entity';

/** The demo's password and portal key: printed in the README, so never loaded in production. */
export const DEMO_PASSWORD = 'gongjian-demo';
export const DEMO_PORTAL_KEY = 'gjk_0000demo_public-demo-portal-key-not-for-production';

export interface DemoAccount {
  username: string;
  role: Role;
  scope: string;
}

/**
 * Sign-ins for trying the API on the demo city, one per kind of viewer: an administrator, a
 * street and a community worker (bound to the first street and community), an analyst, and a
 * portal key. Development only: main.ts and the seed command skip it when NODE_ENV=production.
 */
export async function seedDemoAccounts(em: EntityManager): Promise<DemoAccount[]> {
  const street = await em.findOneOrFail(Area, { level: 'STREET' as never }, { orderBy: { code: 'asc' } });
  const community = await em.findOneOrFail(Area, { level: 'COMMUNITY' as never, parent: street.id }, { orderBy: { code: 'asc' } });
  const ctx = { em, now: () => new Date() };
  const accounts: { username: string; displayName: string; role: Role; scope: Area | null }[] = [
    { username: 'admin', displayName: '区管理员', role: Role.DISTRICT_ADMIN, scope: null },
    { username: 'street', displayName: `${street.name}工作人员`, role: Role.STREET_STAFF, scope: street },
    { username: 'community', displayName: `${community.name}工作人员`, role: Role.COMMUNITY_STAFF, scope: community },
    { username: 'analyst', displayName: '数据分析员', role: Role.ANALYST, scope: null },
  ];
  for (const account of accounts) {
    await createAccountIn(ctx, { username: account.username, displayName: account.displayName, password: DEMO_PASSWORD, role: account.role, scopeAreaId: account.scope?.globalId ?? null });
  }
  em.create(ApiKey, { name: '演示门户 (demo portal)', prefix: DEMO_PORTAL_KEY.split('_').slice(0, 2).join('_'), secretHash: sha256(DEMO_PORTAL_KEY), scopeArea: null, expiresAt: null });
  await em.flush();
  return [
    ...accounts.map((account) => ({ username: account.username, role: account.role, scope: account.scope?.name ?? 'everything' })),
    { username: '(X-Api-Key)', role: Role.PORTAL, scope: 'everything' },
  ];
}
