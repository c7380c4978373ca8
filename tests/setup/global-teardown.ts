import fs from 'node:fs';
import type { EmbeddedDatabase } from '../../src/db/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __embeddedPostgres?: EmbeddedDatabase; __embeddedPostgresDir?: string };
  await state.__embeddedPostgres?.stop({ force: true }); // the run's own throwaway server, its folder removed next
  if (state.__embeddedPostgresDir) fs.rmSync(state.__embeddedPostgresDir, { recursive: true, force: true });
}
