import { ResidentGroup } from '../../common/resident-group';
import { SERVICE_CATALOGUE, type CatalogueEntry } from './catalogue';
import { GROUP_BITS, maskToGroups } from './resident-groups';
import { mulberry32 } from '../../seed/random';

/**
 * A deterministic synthetic city of one-window records (our own export format, see
 * GONGJIAN_CSV_HEADER), for benchmarks and tests. Same options → byte-identical output.
 * Rows are produced lazily in received-time order, so any N streams in constant memory.
 *
 * Realism: yearly seasonality per category (pension certification in Q4/Q1, graduates'
 * job registration in June-July, vaccines in autumn, heating repairs in winter), weekday
 * effects (Saturday a third, Sunday a tenth of a weekday), growth (elderly care +35 %/year,
 * online channels shifting from the counter), hot spots (a few communities busier, some with
 * many elderly), ~58 % consultations, 1-5 satisfaction on ~40 % of finished demands.
 */
export interface GeneratorOptions {
  records: number;
  seed?: number;
  /** Community codes to spread records over (default: the small demo city's 12). */
  communities?: readonly string[];
  /** First day (YYYY-MM-DD, China time); records cover `days` days from it. */
  startDay?: string;
  days?: number;
  /** Grids per community and buildings per grid that surely exist (the demo seed's minimums). */
  gridsPerCommunity?: number;
  buildingsPerGrid?: number;
}

export const GONGJIAN_CSV_HEADER = 'source_id,item_code,received_at,finished_at,status,community_code,grid_code,building_code,resident_groups,channel,satisfaction,resident_hash,note';

/** The small demo city's community codes: district 370199, 3 streets × 4 communities (see seedDemoCity). */
export const SMALL_DEMO_COMMUNITIES: readonly string[] = [1, 2, 3].flatMap((s) => [1, 2, 3, 4].map((c) => `370199${pad(s, 3)}${pad(c, 3)}`));

const CATEGORY_OF = (entry: CatalogueEntry) => entry.category.split('-')[0];
const TOP_CATEGORIES = ['SOC', 'CIV', 'HEALTH', 'HOUSING', 'JOB', 'CARE', 'CERT'] as const;
const BASE_SHARE: Record<string, number> = { SOC: 0.22, CIV: 0.12, HEALTH: 0.14, HOUSING: 0.18, JOB: 0.1, CARE: 0.09, CERT: 0.15 };
/** Yearly growth factor per category. */
const GROWTH: Record<string, number> = { CARE: 1.35, HEALTH: 1.12, JOB: 0.95 };
const CHANNELS: [string, number][] = [['COUNTER', 55], ['ONLINE', 18], ['MOBILE_APP', 12], ['PHONE', 9], ['SELF_SERVICE', 4], ['PROXY', 2]];
const NOTES = ['材料齐全', '需补充材料', '已电话回访', '代办员上门', '群众表示满意', '转街道办理'];
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}


function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

function draw(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Month-of-year multiplier per top category (index 0 = January). */
function seasonality(category: string, month: number): number {
  switch (category) {
    case 'SOC': return [1.5, 1.1, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1, 1.1, 1.5][month];
    case 'JOB': return [0.8, 0.7, 1.2, 1, 1, 1.6, 1.8, 1.2, 1, 0.9, 0.8, 0.7][month];
    case 'HEALTH': return [1, 0.9, 1, 1, 0.9, 0.9, 0.9, 1, 1.3, 1.4, 1.2, 1][month];
    case 'HOUSING': return [1.3, 1.1, 0.9, 0.9, 1, 1.2, 1.3, 1.2, 0.9, 0.9, 1.1, 1.3][month];
    default: return 1;
  }
}

/** Yields the header line, then one CSV line per record (each ends with \n). */
export function* generateServiceRecords(options: GeneratorOptions): Generator<string> {
  const seed = options.seed ?? 20240701;
  const random = mulberry32(seed);
  const communities = options.communities ?? SMALL_DEMO_COMMUNITIES;
  const days = options.days ?? 730;
  const start = Date.parse(`${options.startDay ?? '2024-01-01'}T00:00:00Z`) - CHINA_OFFSET_MS;
  const grids = options.gridsPerCommunity ?? 8;
  const buildings = options.buildingsPerGrid ?? 6;

  // Day weights: weekday effect × overall growth × holiday dip around Spring Festival (early Feb).
  const dayWeights: number[] = [];
  const categoryCdfByDay: Float64Array[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(start + CHINA_OFFSET_MS + d * DAY_MS);
    const weekday = date.getUTCDay();
    const month = date.getUTCMonth();
    const years = d / 365;
    const holiday = month === 1 && date.getUTCDate() <= 12 ? 0.3 : month === 9 && date.getUTCDate() <= 7 ? 0.25 : 1;
    dayWeights.push((weekday === 0 ? 0.1 : weekday === 6 ? 0.33 : weekday === 1 ? 1.15 : 1) * holiday * (1 + 0.08 * years));
    categoryCdfByDay.push(cumulative(TOP_CATEGORIES.map((c) => BASE_SHARE[c] * seasonality(c, month) * (GROWTH[c] ?? 1) ** years)));
  }
  const dayCdf = cumulative(dayWeights);

  // Items per (category, consultation?), Zipf-weighted in catalogue order.
  const pools = new Map<string, { entries: CatalogueEntry[]; cdf: Float64Array }>();
  for (const category of TOP_CATEGORIES) {
    for (const consult of [true, false]) {
      const entries = SERVICE_CATALOGUE.filter((e) => CATEGORY_OF(e) === category && e.isConsultation === consult);
      // Shuffle deterministically so popularity is not just catalogue order.
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [entries[i], entries[j]] = [entries[j], entries[i]];
      }
      pools.set(`${category}:${consult}`, { entries, cdf: cumulative(entries.map((_, i) => 1 / (i + 1) ** 0.9)) });
    }
  }

  // Hot spots: every 5th community twice as busy, every 4th with many elderly residents.
  const communityCdf = cumulative(communities.map((_, i) => (i % 5 === 1 ? 2.2 : 1) * (0.8 + random() * 0.4)));
  const elderlyHeavy = communities.map((_, i) => i % 4 === 2);
  const channelCdf = cumulative(CHANNELS.map(([, w]) => w));
  const groups = Object.keys(GROUP_BITS) as ResidentGroup[];
  const endMs = start + days * DAY_MS;

  const tag = optionsTag(options, seed, communities, days, grids, buildings);
  yield `${GONGJIAN_CSV_HEADER}\n`;
  for (let i = 0; i < options.records; i++) {
    // Records are spread over the days by inverse CDF, so output is ordered by day.
    const day = draw(dayCdf, (i + 0.5) / options.records);
    const c = draw(communityCdf, random());
    let category = TOP_CATEGORIES[draw(categoryCdfByDay[day], random())];
    if (elderlyHeavy[c] && random() < 0.15) category = 'CARE';
    const consult = random() < 0.58;
    const pool = pools.get(`${category}:${consult}`)!;
    const item = pool.entries[draw(pool.cdf, random())];

    const minute = 8 * 60 + 30 + Math.floor((random() + random()) * 0.5 * 540);
    const received = start + day * DAY_MS + minute * 60_000 + Math.floor(random() * 60) * 1000;
    let finished: number | null;
    if (consult) finished = received + (3 + Math.floor(random() * 25)) * 60_000;
    else {
      const workingDays = Math.max(0, item.deadlineWorkingDays * Math.exp((random() - 0.6) * 1.2));
      finished = received + Math.round(workingDays * 1.4 * DAY_MS * (0.6 + random() * 0.4));
    }
    const roll = random();
    let status = 'FINISHED';
    if (finished > endMs || roll < 0.01) {
      status = 'OPEN';
      finished = null;
    } else if (roll < 0.03) status = 'CANCELLED';

    let mask = 0;
    const g = random();
    if (g < 0.75) {
      const usual = maskToGroups(item.residentGroupMask);
      mask = GROUP_BITS[usual[Math.floor(random() * usual.length)] ?? ResidentGroup.GENERAL];
      if (elderlyHeavy[c] && random() < 0.3) mask |= GROUP_BITS.ELDERLY;
    } else if (g < 0.9) mask = GROUP_BITS[groups[Math.floor(random() * groups.length)]];
    // else: no group known
    const groupText = mask ? maskToGroups(mask).join('|') : '';

    // Online channels grow over time at the expense of the counter.
    let channel = CHANNELS[draw(channelCdf, random())][0];
    if (channel === 'COUNTER' && random() < 0.25 * (day / days)) channel = 'MOBILE_APP';

    const community = communities[c];
    const gridCode = random() < 0.7 ? `${community}${pad(1 + Math.floor(random() * grids), 3)}` : '';
    const buildingCode = gridCode && random() < 0.5 ? `${gridCode}${pad(1 + Math.floor(random() * buildings), 3)}` : '';
    const satisfaction = status === 'FINISHED' && random() < 0.4 ? String(random() < 0.7 ? 5 : random() < 0.7 ? 4 : 1 + Math.floor(random() * 3)) : '';
    const resident = Math.floor(random() * 250_000);
    const note = random() < 0.05 ? NOTES[Math.floor(random() * NOTES.length)] : '';

    yield `GJ${seed}-${tag}-${pad(i + 1, 10)},${item.code},${chinaTime(received)},${finished === null ? '' : chinaTime(finished)},${status},${community},${gridCode},${buildingCode},${groupText},${channel},${satisfaction},${residentHash(seed, resident)},${note}\n`;
  }
}

/** `YYYY-MM-DD HH:mm:ss` in China time (the day's text is cached: records come in day order). */
function chinaTime(ms: number): string {
  const local = ms + CHINA_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  const seconds = Math.floor((local - day * DAY_MS) / 1000);
  return `${cachedDayText} ${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}
let cachedDay = Number.NaN;
let cachedDayText = '';
const two = (value: number) => (value < 10 ? `0${value}` : String(value));

/** A synthetic pseudonymous resident key (32 hex): stands in for the salted hash a real export carries. */
/**
 * Five letters that differ between files generated with different options. Record i of a file
 * depends on all of them (the count spreads records over the days), and source ids are what an
 * import deduplicates on: with the seed and row number alone, a second file of another size or
 * window had the first one's ids and was dropped whole as duplicates. Letters, so the id never
 * reads as one long number (an ID or phone number masked in evidence ids).
 */
function optionsTag(options: GeneratorOptions, seed: number, communities: readonly string[], days: number, grids: number, buildings: number): string {
  const text = JSON.stringify([seed, options.records, options.startDay ?? '2024-01-01', days, communities, grids, buildings]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  let tag = '';
  for (let k = 0; k < 5; k++, hash = Math.floor(hash / 26)) tag += String.fromCharCode(65 + (hash % 26));
  return tag;
}

function residentHash(seed: number, resident: number): string {
  let h1 = (seed ^ 0x9e3779b9) >>> 0;
  let h2 = (resident * 2654435761) >>> 0;
  let out = '';
  for (let k = 0; k < 4; k++) {
    h1 = Math.imul(h1 ^ (h2 >>> 13), 0x85ebca6b) >>> 0;
    h2 = Math.imul(h2 ^ (h1 >>> 16), 0xc2b2ae35) >>> 0;
    out += ((h1 ^ h2) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** Joins generated lines into chunks of ~`chunkChars` for a stream (one chunk per line would be slow). */
export function* inChunks(lines: Iterable<string>, chunkChars = 1 << 20): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
