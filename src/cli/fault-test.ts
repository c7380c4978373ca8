import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fromGlobalId } from '../common/global-id';
import { Request } from '../modules/request/request.entity';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';
import { documents, startScenario, type Scenario } from './scenario';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How the database is taken away and brought back: the embedded one, or the machine's PostgreSQL service. */
function databaseSwitch(scenario: Scenario, system: boolean) {
  if (system) {
    const cluster = process.env.PG_CLUSTER ?? '15 main';
    const run = (action: string) => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster.split(' '), action], { stdio: 'inherit' });
    return { stop: async () => run('stop'), start: async () => run('start') };
  }
  let current: EmbeddedDatabase | undefined = scenario.embedded;
  return {
    stop: async () => {
      // The outage itself: under the writers still connected.
      await current?.stop({ force: true });
      current = undefined;
    },
    start: async () => {
      current = await startEmbeddedPostgres({ dataDir: path.join(scenario.dataDir!, 'pg'), port: scenario.pgPort!, persistent: true });
      scenario.embedded = current;
    },
  };
}

/**
 * `npm run test:faults [-- --system]`: writes requests from several workers while the
 * database is stopped and started again. Passes when every acknowledged write is stored,
 * failures during the outage are SERVICE_UNAVAILABLE only, and writes succeed again after.
 * `--system` stops the machine's PostgreSQL (pg_ctlcluster 15 main) and needs DATABASE_URL; without
 * it the script runs on an embedded PostgreSQL of its own, whatever DATABASE_URL says.
 */
runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), [], ['system']);
  if (typeof parsed === 'string' || parsed.positional.length) {
    console.error(`${typeof parsed === 'string' ? parsed : `unknown argument ${JSON.stringify(parsed.positional[0])}`}\nusage: npm run test:faults [-- --system]`);
    return 2;
  }
  const system = parsed.values.system === 'true';
  if (system && !process.env.DATABASE_URL) {
    console.error('--system needs DATABASE_URL pointing at the machine\'s PostgreSQL');
    return 2;
  }
  const scenario = await startScenario({ useDatabaseUrl: system });
  try {
    return await faultRun(scenario, system);
  } finally {
    // Whatever happened: the embedded PostgreSQL and its folder, or the scenario's database on the system server.
    await scenario.close();
  }
});

/** Writers, the outage and the checks, on a scenario the caller closes. */
async function faultRun(scenario: Scenario, system: boolean): Promise<number> {
  const database = databaseSwitch(scenario, system);
  const { createRequest } = documents(scenario.ids);
  const acknowledged: number[] = [];
  const failures = new Map<string, number>();
  let firstSuccessAfterRestart: number | null = null;
  let restartedAt: number | null = null;
  let running = true;

  const worker = async () => {
    while (running) {
      const { json } = await scenario.post(createRequest).catch(() => ({ json: { errors: [{ extensions: { code: 'NETWORK' } }] } }));
      if (json?.data?.createRequest) {
        acknowledged.push(fromGlobalId(json.data.createRequest.id)!.id);
        if (restartedAt && firstSuccessAfterRestart === null) firstSuccessAfterRestart = Date.now();
      } else {
        const code = json?.errors?.[0]?.extensions?.code ?? 'UNKNOWN';
        failures.set(code, (failures.get(code) ?? 0) + 1);
        await sleep(50);
      }
    }
  };

  console.log(`faults: 4 writers; database (${system ? 'machine PostgreSQL' : 'embedded'}) stopped at 3 s, started at 6 s, load ends at 12 s`);
  const workers = Array.from({ length: 4 }, worker);
  await sleep(3000);
  const beforeOutage = acknowledged.length;
  await database.stop();
  const stoppedAt = Date.now();
  await sleep(3000);
  await database.start();
  restartedAt = Date.now();
  await sleep(6000);
  running = false;
  await Promise.all(workers);

  const stored = await scenario.orm.em.fork().find(Request, { id: { $in: acknowledged } }, { fields: ['id'] });
  const storedIds = new Set(stored.map((row) => Number(row.id)));
  const lost = acknowledged.filter((id) => !storedIds.has(id));

  const unexpected = [...failures].filter(([code]) => code !== 'SERVICE_UNAVAILABLE');
  console.log(`acknowledged writes           ${acknowledged.length} (${beforeOutage} before the outage)`);
  console.log(`acknowledged but not stored   ${lost.length}`);
  console.log(`refused during the outage     ${failures.get('SERVICE_UNAVAILABLE') ?? 0} × SERVICE_UNAVAILABLE`);
  console.log(`other failures                ${unexpected.map(([code, n]) => `${n} × ${code}`).join(', ') || 'none'}`);
  console.log(`outage                        ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s`);
  console.log(`first write after restart     ${firstSuccessAfterRestart ? `${firstSuccessAfterRestart - restartedAt} ms` : 'never'}`);
  const problems = [
    lost.length > 0 && `${lost.length} acknowledged writes are missing`,
    unexpected.length > 0 && 'failures other than SERVICE_UNAVAILABLE',
    firstSuccessAfterRestart === null && 'the server did not recover',
    beforeOutage === 0 && 'no write succeeded before the outage',
  ].filter(Boolean);
  console.log(problems.length ? `FAILED: ${problems.join('; ')}` : 'faults: ok (nothing acknowledged was lost; recovered without a restart)');
  return problems.length ? 1 : 0;
}
