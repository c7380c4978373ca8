import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { generateServiceRecords, inChunks } from '../modules/service-data/generator';
import { parseFlags } from './cli-args';
import { runCli } from './run-cli';

const USAGE = `usage: npm run generate -- --records N --out FILE [--seed S] [--communities CODE,CODE,…] [--start YYYY-MM-DD] [--days D]
  Writes N synthetic one-window records (our export format, mappings/gongjian.json) for the
  small demo city's 12 communities (or the codes given), deterministically for a seed.`;

runCli(async () => {
  const parsed = parseFlags(process.argv.slice(2), ['records', 'out', 'seed', 'communities', 'start', 'days']);
  if (typeof parsed === 'string' || !parsed.values.records || !parsed.values.out) {
    console.error(typeof parsed === 'string' ? `${parsed}\n${USAGE}` : USAGE);
    return 2;
  }
  const { values } = parsed;
  const records = Number(values.records);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const days = values.days === undefined ? undefined : Number(values.days);
  if (!Number.isSafeInteger(records) || records < 0) return fail(`--records must be a whole number >= 0 (got ${JSON.stringify(values.records)})`);
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) return fail(`--seed must be a whole number >= 0`);
  if (days !== undefined && (!Number.isSafeInteger(days) || days < 1)) return fail(`--days must be a whole number >= 1`);
  // A real day: 2024-13-01 crashed the generator, 2024-02-30 quietly began on 1 March.
  const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  if (values.start !== undefined && !isDay(values.start)) return fail(`--start must be a day, YYYY-MM-DD (got ${JSON.stringify(values.start)})`);

  const started = Date.now();
  // The README's .data/records.csv: .data exists only after an embedded start, so make the folder.
  fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
  await pipeline(inChunks(generateServiceRecords({ records, seed, days, startDay: values.start, communities: values.communities?.split(',').map((c) => c.trim()) })), fs.createWriteStream(values.out));
  console.log(`wrote ${records.toLocaleString('en-US')} records to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
});

function fail(message: string): number {
  console.error(`${message}\n${USAGE}`);
  return 2;
}
