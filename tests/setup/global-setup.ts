import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';

/**
 * One PostgreSQL server for the whole run: `DATABASE_URL` when given (CI's second pass
 * uses the machine's PostgreSQL 15), otherwise a throwaway embedded one. Each test file
 * then creates its own database on it (tests/helpers/test-app.ts).
 */
export default async function globalSetup(): Promise<void> {
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
