import 'reflect-metadata';
import autocannon from 'autocannon';
import { runCli } from './run-cli';
import { parseFlags } from './cli-args';
import { documents, startScenario, type Scenario } from './scenario';

const USAGE = 'usage: npm run test:load -- [--seconds 20] [--connections 10] [--by-document]';

/** --seconds and --connections, or the line that says what is wrong with the call. */
function loadArguments(argv: string[]): { seconds: number; connections: number } | string {
  const parsed = parseFlags(argv, ['seconds', 'connections'], ['by-document']);
  if (typeof parsed === 'string') return parsed;
  if (parsed.positional.length) return `unknown argument ${JSON.stringify(parsed.positional[0])}`;
  const seconds = wholeNumber(parsed.values, 'seconds', 20, 3600);
  if (typeof seconds === 'string') return seconds;
  const connections = wholeNumber(parsed.values, 'connections', 10, 1000);
  return typeof connections === 'string' ? connections : { seconds, connections };
}

/** A whole number from 1 to max, or an error line: a run of NaN seconds sent nothing and passed. */
function wholeNumber(values: Record<string, string>, name: string, fallback: number, max: number): number | string {
  if (values[name] === undefined) return fallback;
  const value = Number(values[name]);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : `--${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(values[name])}`;
}

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/**
 * `npm run test:load -- [--seconds 20] [--connections 10] [--by-document]`: a server on its own
 * database, autocannon sending dashboard reads and request mutations (2:1) for a bounded time.
 * Fails on any 5xx, any GraphQL error, or heap growth past 64 MB between the first and
 * last third of the run. `--by-document` then runs each document alone (a quarter of the time
 * each) and prints its throughput and latency: which one the mixed p99 comes from.
 */
runCli(async () => {
  const call = loadArguments(process.argv.slice(2));
  if (typeof call === 'string') {
    console.error(`${call}\n${USAGE}`);
    return 2;
  }
  const { seconds, connections } = call;
  const scenario = await startScenario();
  try {
    return await loadRun(scenario, seconds, connections);
  } finally {
    await scenario.close();
  }
});

/** The run itself, on a scenario the caller closes whatever happens (a crash left its 72 MB folder behind). */
async function loadRun(scenario: Scenario, seconds: number, connections: number): Promise<number> {
  const docs = documents(scenario.ids);
  let graphqlErrors = 0;
  const check = (_status: number, body: string) => {
    if (body.includes('"errors"')) graphqlErrors += 1;
  };
  const request = (body: unknown) => ({ method: 'POST' as const, path: '/graphql', headers: scenario.headers, body: JSON.stringify(body), onResponse: check });

  const heap: number[] = [];
  const sampler = setInterval(() => heap.push(heapMb()), 1000);
  console.log(`load: ${connections} connections for ${seconds} s against ${scenario.url}`);
  // Requests already there (the demo's 400): the run's own count is the difference.
  const countRequests = async () => Number((await scenario.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from request`))[0].n);
  const before = await countRequests();
  const result = await autocannon({
    url: scenario.url.replace(/\/graphql$/, ''),
    connections,
    duration: seconds,
    requests: [request(docs.overview), request(docs.createRequest), request(docs.requests), request(docs.dashboard), request(docs.createRequest), request(docs.requests)],
  });
  clearInterval(sampler);
  const third = Math.max(1, Math.floor(heap.length / 3));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const early = median(heap.slice(0, third));
  const late = median(heap.slice(-third));
  const created = (await countRequests()) - before;
  const byDocument: string[] = [];
  const aloneFailures: string[] = [];
  if (process.argv.includes('--by-document')) {
    for (const name of ['overview', 'requests', 'dashboard', 'createRequest'] as const) {
      const alone = await autocannon({ url: scenario.url.replace(/\/graphql$/, ''), connections, duration: Math.max(2, Math.round(seconds / 4)), requests: [request(docs[name])] });
      byDocument.push(`${`  ${name} alone`.padEnd(34)} ${alone.requests.average.toFixed(1)} req/s, p50 ${alone.latency.p50} ms, p90 ${alone.latency.p90} ms, p99 ${alone.latency.p99} ms, non-2xx ${alone.non2xx}`);
      if (alone.non2xx + alone.errors + alone.timeouts > 0) aloneFailures.push(`${name} alone: ${alone.non2xx} non-2xx, ${alone.errors + alone.timeouts} socket errors or timeouts`);
    }
  }

  const fivexx = result['5xx'];
  const rows = [
    ['requests', result.requests.total],
    ['throughput (req/s, mean)', result.requests.average.toFixed(1)],
    ['latency p50 (ms)', result.latency.p50],
    ['latency p99 (ms)', result.latency.p99],
    ['2xx', result['2xx']],
    ['non-2xx', result.non2xx],
    ['5xx', fivexx],
    ['socket errors / timeouts', `${result.errors} / ${result.timeouts}`],
    ['GraphQL errors', graphqlErrors],
    ['requests created by this run', created],
    ['heap early → late (MB, after GC)', `${early.toFixed(1)} → ${late.toFixed(1)}`],
  ];
  for (const [label, value] of rows) console.log(`${String(label).padEnd(34)} ${value}`);
  if (byDocument.length) console.log(['each document alone:', ...byDocument].join('\n'));
  const failures = [
    fivexx > 0 && `${fivexx} responses were 5xx`,
    result.non2xx > 0 && `${result.non2xx} responses were not 2xx`,
    graphqlErrors > 0 && `${graphqlErrors} responses carried GraphQL errors`,
    result.errors + result.timeouts > 0 && 'socket errors or timeouts',
    late - early > 64 && `heap grew ${(late - early).toFixed(1)} MB`,
    ...aloneFailures,
  ].filter(Boolean);
  console.log(failures.length ? `FAILED: ${failures.join('; ')}` : 'load: ok (no 5xx, no errors, heap flat)');
  return failures.length ? 1 : 0;
}
