import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';

/**
 * One PostgreSQL server for the whole run: `DATABASE_URL` when given (CI's second pass
 * uses the machine's PostgreSQL 15), otherwise a throwaway embedded one. Each test file
 * then creates its own database on it (tests/helpers/test-app.ts).
 */
export default async function globalSetup(): Promise<void> {
  buildCommandLine();
  if (process.env.DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongjian-test-pg-'));
  fs.chmodSync(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: 0, persistent: false });
  (globalThis as { __embeddedPostgres?: EmbeddedDatabase }).__embeddedPostgres = embedded;
  (globalThis as { __embeddedPostgresDir?: string }).__embeddedPostgresDir = dataDir;
  process.env.TEST_SERVER_URL = embedded.url;
}

/**
 * Tests that run a command (npm run import, npm run accounts) run it compiled, as npm does: built
 * here once, before any test file starts, so none runs a stale dist/ and no two build at once. tsc
 * emits even when some module has a type error (the type check is its own CI step).
 */
function buildCommandLine(): void {
  const root = path.join(__dirname, '..', '..');
  const built = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.error) throw built.error;
}
