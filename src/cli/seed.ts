import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/env';
import { createLogger } from '../common/logger';
import { initOrm, migrateUp, openDatabase } from '../db/database';
import { DEFAULT_SEED, SEED_SCALES, clearAllData, hasAreas, type SeedCounts, type SeedScale } from '../seed/demo-city';
import { seedDemo } from '../seed/demo';
import { DEMO_RECORDS_SOURCE, seedDemoRecords } from '../modules/service-data/demo-records';
import { runCli } from './run-cli';
import { DEMO_PASSWORD, DEMO_PORTAL_KEY } from '../seed/demo-accounts';

const USAGE = `usage: npm run seed -- [--scale small|city] [--seed N] [--records N] [--reset]
  --scale  small: 12 communities, ~1,500 people; city: 60 communities, ~900 grids, ~20,000 people
           (default: SEED_SCALE, which defaults to small)
  --seed   a whole number >= 0; the same seed always gives the same city (default ${DEFAULT_SEED})
  --records generated one-window service records for the city, over the two years up to
           yesterday, loaded through the import (default: SEED_RECORDS, which defaults to 100000; 0: none)
  --reset  delete all data first (TRUNCATE every domain table); without it, a database
           that already has areas is left alone`;

interface SeedArgs {
  scale?: SeedScale;
  seed: number;
  records?: number;
  reset: boolean;
}

/** Parses the arguments, or returns an error line. Accepts `--flag value` and `--flag=value`. */
function parseArgs(argv: string[]): SeedArgs | string {
  const args: SeedArgs = { seed: DEFAULT_SEED, reset: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--reset') args.reset = true;
    else if (flag === '--scale') {
      const scale = value();
      if (!SEED_SCALES.includes(scale as SeedScale)) return `--scale must be ${SEED_SCALES.join(' or ')} (got ${JSON.stringify(scale ?? '')})`;
      args.scale = scale as SeedScale;
    } else if (flag === '--seed') {
      const raw = value();
      const seed = Number(raw);
      if (!raw || !Number.isSafeInteger(seed) || seed < 0) return `--seed must be a whole number >= 0 (got ${JSON.stringify(raw ?? '')})`;
      args.seed = seed;
    } else if (flag === '--records') {
      const raw = value();
      const records = Number(raw);
      if (!raw || !Number.isSafeInteger(records) || records < 0 || records > 5_000_000) return `--records must be a whole number 0-5000000 (got ${JSON.stringify(raw ?? '')})`;
      args.records = records;
    } else return `unknown argument ${JSON.stringify(argv[i])}`;
  }
  return args;
}

const COUNT_LABELS: Record<keyof SeedCounts, string> = {
  districts: 'districts',
  streets: 'streets',
  communities: 'communities',
  grids: 'grids',
  buildings: 'buildings',
  units: 'units',
  partyOrganizations: 'party organizations',
  partTimeMembers: 'part-time members',
  alliances: 'alliances',
  allianceMembers: 'alliance members',
  pairings: 'pairings',
  people: 'people',
  partyMembers: '  of whom party members',
  gridAssignments: 'grid assignments',
  servicePosts: 'service posts',
  postClaims: 'post claims',
};

const number = (value: number): string => value.toLocaleString('en-US');

/** Prints one line per finished stage, and at most one a second while a long stage runs. */
function progressPrinter(): (stage: string, done: number, total: number) => void {
  let current = '';
  let startedAt = performance.now();
  let previousCall = startedAt;
  let lastPrint = 0;
  return (stage, done, total) => {
    const now = performance.now();
    if (stage !== current) {
      // A stage starts when the previous one reported last (its first report comes after its first chunk).
      current = stage;
      startedAt = previousCall;
      lastPrint = now;
    }
    previousCall = now;
    const finished = done >= total;
    if (!finished && now - lastPrint < 1000) return;
    lastPrint = now;
    const seconds = (now - startedAt) / 1000;
    const rate = stage === 'plan' || stage === 'sequences' || seconds <= 0 ? '' : `  (${number(Math.round(done / seconds))} rows/s)`;
    const what = stage === 'plan' ? `planned in memory in ${seconds.toFixed(2)} s` : `${number(done)} / ${number(total)}`;
    console.log(`  ${stage.padEnd(32)} ${what}${rate}`);
  };
}

runCli(async () => {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const scale = args.scale ?? config.SEED_SCALE;
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const orm = await initOrm(database.url, config);
  try {
    const applied = await migrateUp(orm);
    if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);
    const em = orm.em.fork();
    const populated = await hasAreas(em);
    if (populated && !args.reset) {
      console.error('The database already has areas; not seeding. Pass --reset to delete all data and seed again.');
      return 2;
    }
    console.log(`seeding the demo city: scale ${scale}, seed ${args.seed}${populated ? ', after deleting all data' : ''}`);
    const startedAt = performance.now();
    // Reset and seed in one transaction: a failure leaves the old data in place.
    const counts = await em.transactional(async (tem) => {
      if (populated) {
        await clearAllData(tem);
        console.log(`  ${'reset'.padEnd(32)} all domain tables truncated`);
      }
      // Accounts go with a reset (they point at areas); the demo's sign-ins come back, except in production.
      const { city, requests } = await seedDemo(tem, { scale, seed: args.seed, withAccounts: config.NODE_ENV !== 'production', onProgress: progressPrinter() });
      console.log(`  ${'request, request_event'.padEnd(32)} ${number(requests.requests)} requests over the last 180 days, ${number(requests.events)} ledger entries`);
      return city;
    });
    const records = args.records ?? config.SEED_RECORDS;
    if (records > 0) {
      // After the city commits: the import runs its own batch transactions on its own connections.
      const progress = progressPrinter();
      let last = -1;
      const onProgress = (done: number) => {
        if (done !== last) progress('one-window records', done, records);
        last = done;
      };
      const loaded = await seedDemoRecords(database.url, { records, onProgress });
      console.log(`  ${'one-window records'.padEnd(32)} ${number(loaded.inserted)} inserted, ${number(loaded.rejected)} rejected, ${loaded.firstDay} … ${loaded.lastDay} (source "${DEMO_RECORDS_SOURCE}")`);
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const rows = Object.entries(counts) as Array<[keyof SeedCounts, number]>;
    const width = Math.max(...rows.map(([key]) => COUNT_LABELS[key].length));
    console.log('');
    for (const [key, value] of rows) console.log(`  ${COUNT_LABELS[key].padEnd(width)}  ${number(value).padStart(7)}`);
    console.log(`\nseeded in ${seconds.toFixed(1)} s`);
    if (config.NODE_ENV !== 'production') console.log(`demo sign-ins: admin, street, community, analyst — password "${DEMO_PASSWORD}"; portal key ${DEMO_PORTAL_KEY}`);
    return 0;
  } finally {
    await orm.close(true);
    await database.embedded?.stop();
  }
});
