import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import path from 'node:path';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../db/entities';
import { SCOPE_FILTER, ScopeWriteGuard, scopeFilter } from '../modules/identity/scope.guard';
import { PROJECT_ROOT } from './paths';

export interface OrmSettings {
  clientUrl: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  acquireTimeoutMs?: number;
  debug?: boolean;
}

/**
 * The one MikroORM configuration. Migrations are listed in `migrations/index.ts`
 * rather than discovered from disk, so the same list runs under ts-jest and compiled JS.
 */
export function ormOptions(settings: OrmSettings): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    // Area scope (src/modules/identity/scope.rules.ts): a filter for reading, a flush guard for writing.
    // Filters apply to the entity queried only; relations are loaded by their own (filtered) queries,
    // so a request in scope keeps its assignee reference even when that person lives elsewhere.
    filters: { [SCOPE_FILTER]: scopeFilter },
    filtersOnRelations: false,
    // Left at its default: turning it off (as filtersOnRelations: false does implicitly) made
    // single-table-inheritance areas load as the base Area class in some requests (dashboard.test).
    autoJoinRefsForFilters: true,
    subscribers: [new ScopeWriteGuard()],
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: settings.debug ?? false,
    pool: { min: 0, max: settings.poolMax ?? 10 },
    driverOptions: {
      // Fail fast while the database is down (SERVICE_UNAVAILABLE) instead of queueing for a minute;
      // the pool opens fresh connections by itself once it is back.
      acquireConnectionTimeout: settings.acquireTimeoutMs ?? 5000,
      connection: {
        statement_timeout: settings.statementTimeoutMs ?? 15000,
        // Room for the analytics' hash aggregates: at the 4 MB default the ranking's packed series
        // (2,280 cells × 36 months) spilled to disk, 50 ms instead of 38. Per sort/hash node, per connection.
        // No JIT: the API's statements are short, and on builds with LLVM (Debian's PostgreSQL, not the
        // embedded one) a year's member assessment over 8 years of history compiled for 4.3-4.6 s to run
        // for 1.2 (tests/integration/database-session-settings.test.ts). The import turns it off too (loader.ts).
        options: '-c work_mem=16MB -c jit=off',
        connectionTimeoutMillis: 3000,
        application_name: 'gongjian',
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: MIGRATIONS,
      // Where `npm run migrate -- create` writes new migrations (as TypeScript).
      path: path.join(PROJECT_ROOT, 'migrations'),
      pathTs: path.join(PROJECT_ROOT, 'migrations'),
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  };
}
