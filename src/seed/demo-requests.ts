/**
 * Demo resident requests (群众诉求) for the demo city: a few hundred free-text requests across
 * the catalogue and the city's communities, each carried through the closed loop as far as
 * its age allows, with the ledger (request_event), the points it earned and the request_daily
 * roll-up written consistently in one set-based pass.
 *
 * Times: spread over the `DEMO_REQUEST_DAYS` days before `now` (default: the seeding time), so
 * dashboards' "last 30 days" and rankings' "last 90 days" always have data. Everything else
 * (texts, places, categories, paths through the loop, offsets) depends on the seed only: the
 * same seed and the same `now` give byte-identical rows.
 *
 * The story it plants, for the analytics to find: electric-bike charging and fire-lane
 * complaints (GRID-FIRE) and parking (HOUSING-PARKING) rise month by month; drainage peaks in
 * the rainy season (July-August); the elderly canteen (CARE-CANTEEN) is a hot spot in two
 * communities. Resident names (示例居民0001) and phones (1380000xxxx) are obviously fake.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { TRAINING_CORPUS } from '../../analytics';
import { assigneeDueOnDispatch } from '../modules/request/request.states';
import { entityManagerRunner, refreshRequestDaily } from '../modules/service-data/rollups';
import { Random } from './random';
import type { SeedScale } from './demo-city';

export const DEMO_REQUEST_DAYS = 180;
export const DEMO_REQUEST_COUNTS: Record<SeedScale, number> = { small: 400, city: 1500 };
/** Who the ledger says acted on the demo requests. */
export const DEMO_ACTOR = 'demo-seed';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHUNK = 1000;

export interface DemoRequestOptions {
  scale: SeedScale;
  seed?: number;
  /** The end of the spread (default: now). */
  now?: Date;
  /** Overrides the scale's count. */
  count?: number;
}

export interface DemoRequestCounts {
  requests: number;
  events: number;
  pointEntries: number;
}

/** What the planner needs from the database: places, who takes each grid's requests, categories, the point rule. */
export interface DemoRequestWorld {
  communities: { id: number; name: string; population: number }[];
  /** Grids and buildings, with the community and grid they sit in. */
  places: { id: number; level: 'GRID' | 'BUILDING'; name: string; communityId: number; gridId: number }[];
  /**
   * Who a request in each grid is dispatched to, by grid id: its grid workers who are party members
   * (党员接单: dispatchRequest takes a party member or a unit, never another person), else the
   * secretary of its grid branch (a member). The planner draws one pick from the list whatever its
   * length, so who is eligible changes the assignee only, never a request's path through the loop.
   */
  workers: Map<number, number[]>;
  /** Active second-level categories with their effective community-level hours. */
  categories: { id: number; code: string; communityHours: number }[];
  requestPoints: number;
}

type Row = Record<string, string | number | boolean | null>;

export interface DemoRequestPlan {
  requests: Row[];
  events: Row[];
  pointEntries: Row[];
}

/** Relative demand per category (a city's usual mix), and how strongly it rises over the period. */
const CATEGORY_WEIGHT: Record<string, number> = {
  'GRID-SANITATION': 9, 'GRID-ORDER': 8, 'GRID-DISPUTE': 6, 'GRID-FIRE': 6, 'GRID-SECURITY': 4, 'GRID-SAFETY': 3,
  'GRID-BUILDING': 3, 'GRID-SPECIAL': 3, 'GRID-PROXY': 3, 'GRID-EMERGENCY': 2, 'GRID-OPINION': 3, 'GRID-INFO': 1, 'GRID-PUBLICITY': 1,
  'HOUSING-PROPERTY': 9, 'HOUSING-REPAIR': 7, 'HOUSING-PARKING': 7, 'HOUSING-LIGHTS': 6, 'HOUSING-DRAINAGE': 6, 'HOUSING-ELEVATOR': 3,
  'CARE-CANTEEN': 4, 'CARE-DAYCARE': 3, 'CARE-DISABILITY': 2, 'CARE-ACCESSIBILITY': 2,
  'SOC-INSURANCE': 3, 'SOC-PENSION': 3, 'SOC-MEDICAL': 3, 'CIV-SUBSIDY': 3, 'CIV-MARRIAGE': 1, 'CIV-ELDERLY-ALLOWANCE': 2,
  'HEALTH-FAMILY-DOCTOR': 2, 'HEALTH-VACCINE': 2, 'HEALTH-CHRONIC': 2, 'JOB-REGISTER': 2, 'JOB-TRAINING': 1, 'JOB-LOAN': 1,
  'CERT-ID': 2, 'CERT-RESIDENCE': 2, 'CERT-PROOF': 2,
};
/** Weight multiplier at the end of the period is 1 + RISE (linear from 1 at its start). */
const RISE: Record<string, number> = { 'GRID-FIRE': 3, 'HOUSING-PARKING': 2 };
/** Resident groups by category prefix (the rest: mostly unknown, some elderly). */
const GROUP_BY_CATEGORY: Array<[prefix: string, group: string, share: number]> = [
  ['CARE-DISABILITY', 'DISABLED', 0.9], ['CARE-ACCESSIBILITY', 'DISABLED', 0.5], ['CARE', 'ELDERLY', 0.9], ['CIV-ELDERLY', 'ELDERLY', 1],
  ['CIV-SUBSIDY', 'LOW_INCOME', 0.9], ['SOC-PENSION', 'ELDERLY', 0.8], ['HEALTH-VACCINE', 'CHILDREN', 0.7], ['HEALTH-CHRONIC', 'ELDERLY', 0.7],
  ['JOB', 'YOUTH', 0.6], ['GRID-SPECIAL', 'ELDERLY', 0.6],
];
const CHANNELS: Array<[string, number]> = [
  ['HOTLINE_12345', 30], ['GRID_PATROL', 20], ['WECHAT_GROUP', 15], ['MINI_PROGRAM', 12], ['COUNTER', 10], ['VISIT', 8], ['DOOR_KNOCKING', 5],
];
const SATISFACTION: Array<[number, number]> = [[5, 50], [4, 30], [3, 12], [2, 5], [1, 3]];
const RATING_COMMENTS: Record<number, string[]> = {
  5: ['很及时，谢谢网格员', '处理得很好', '非常满意', '当天就解决了'],
  4: ['基本解决了', '还可以，就是慢了点', '满意'],
  3: ['解决了但拖得有点久', '一般'],
  2: ['问题没有彻底解决', '处理太慢'],
  1: ['根本没解决', '很不满意'],
};
const OPENERS = ['', '', '您好，', '麻烦问一下，', '反映个问题：', ''];
const CLOSERS = ['', '麻烦尽快安排人来看看。', '已经反映过一次了，希望这次能解决。', '谢谢！', '希望社区帮忙协调一下。', ''];
const RESOLUTION_NOTES = ['已现场处理完毕', '已协调相关单位解决', '已联系物业处理', '已电话回访居民，问题已解决', '已按政策答复并协助办理'];
const REJECT_REASON = '不属于社区受理范围，已告知居民向相关部门反映';
const CLOSE_REASON = '居民确认，社区销号';

/** The China-time calendar month (1-12) of a time. */
const chinaMonth = (time: number) => new Date(time + 8 * HOUR).getUTCMonth() + 1;

/** Drainage and flooding complaints peak in the rainy season. */
function seasonal(code: string, time: number): number {
  const month = chinaMonth(time);
  if (code === 'HOUSING-DRAINAGE' || code === 'GRID-EMERGENCY') return month === 7 || month === 8 ? 3 : month === 6 || month === 9 ? 1.5 : 0.6;
  return 1;
}

const iso = (time: number | null) => (time == null ? null : new Date(time).toISOString());
/** The member's own due time on a dispatch, when they have one (see assigneeDueOnDispatch). */
const memberDue = (due: Date | null): Record<string, string> => (due ? { assigneeDueAt: due.toISOString() } : {});

/** Plans the requests (pure: same world, seed and now → same rows). Ids start at 1. */
export function planDemoRequests(world: DemoRequestWorld, options: { count: number; seed: number; now: Date }): DemoRequestPlan {
  const random = new Random(options.seed ^ 0x5eed_7e47);
  const end = options.now.getTime();
  const start = end - DEMO_REQUEST_DAYS * DAY;
  const textsByCode = new Map<string, string[]>();
  for (const { label, text } of TRAINING_CORPUS) textsByCode.set(label, [...(textsByCode.get(label) ?? []), text]);
  const categories = world.categories.filter((c) => textsByCode.has(c.code) && CATEGORY_WEIGHT[c.code]);
  if (categories.length === 0 || world.places.length === 0) return { requests: [], events: [], pointEntries: [] };
  const placesByCommunity = new Map<number, DemoRequestWorld['places']>();
  for (const place of world.places) placesByCommunity.set(place.communityId, [...(placesByCommunity.get(place.communityId) ?? []), place]);
  const communities = world.communities.filter((c) => placesByCommunity.has(c.id));
  // Two communities (the 2nd and 5th by id) are the planted canteen hot spot.
  const canteenHotSpots = new Set([communities[1]?.id, communities[4]?.id]);

  // Receiving times, sorted, so request ids and numbers follow the order requests came in.
  const times = Array.from({ length: options.count }, () => start + Math.floor(random.next() * (end - start - HOUR)));
  times.sort((a, b) => a - b);

  const plan: DemoRequestPlan = { requests: [], events: [], pointEntries: [] };
  times.forEach((createdAt, index) => {
    const id = index + 1;
    const progress = (createdAt - start) / (end - start);
    const category = random.weightedPick(categories, (c) => CATEGORY_WEIGHT[c.code] * (1 + (RISE[c.code] ?? 0) * progress) * seasonal(c.code, createdAt));
    const community = random.weightedPick(communities, (c) => Math.max(c.population, 1000) * (category.code === 'CARE-CANTEEN' && canteenHotSpots.has(c.id) ? 6 : 1));
    const place = random.pick(placesByCommunity.get(community.id)!);
    const sentence = random.pick(textsByCode.get(category.code)!);
    const where = place.level === 'BUILDING' ? (random.chance(0.3) ? `${place.name}${random.int(1, 4)}单元，` : `${place.name}，`) : '';
    const body = `${random.pick(OPENERS)}${where}${sentence}${/[。！？]$/.test(sentence) ? '' : '。'}${random.pick(CLOSERS)}`.trim();
    const title = sentence.split(/[，。,！？]/)[0].slice(0, 24);
    const groupRule = GROUP_BY_CATEGORY.find(([prefix]) => category.code.startsWith(prefix));
    const residentGroup = groupRule && random.chance(groupRule[2]) ? groupRule[1] : random.chance(0.2) ? 'ELDERLY' : random.chance(0.3) ? 'GENERAL' : null;
    const channel = random.weightedPick(CHANNELS.map(([c]) => c), CHANNELS.map(([, w]) => w));
    const workers = world.workers.get(place.gridId) ?? [];

    // The closed loop, step by step, as far as the time allows; each step's changed fields
    // go in its ledger entry and are folded into the row, exactly as the request service does.
    const state: Row = {
      status: 'ORDERED', statusBeforeSuspension: null, level: 'COMMUNITY', assigneePersonId: null, assigneeUnitId: null,
      dueAt: iso(createdAt + category.communityHours * HOUR), assigneeDueAt: null, suspendedAt: null, resolvedAt: null, closedAt: null,
      satisfaction: null, ratingComment: null, lastReason: null,
    };
    let sequence = 0;
    let updatedAt = createdAt;
    const event = (kind: string, at: number, toStatus: string | null, set: Row, note: string | null = null, extra: Row = {}) => {
      const fromStatus = sequence === 0 ? null : (state.status as string);
      Object.assign(state, set);
      sequence++;
      updatedAt = at;
      plan.events.push({
        id: plan.events.length + 1, created_at: iso(at), updated_at: iso(at), request_id: id, sequence, kind, actor: DEMO_ACTOR,
        from_status: fromStatus, to_status: toStatus, note, data: JSON.stringify({ ...extra, set }),
      });
    };
    event('CREATED', createdAt, 'ORDERED', { ...state }, null, { channel });

    let t = createdAt;
    const next = (minHours: number, maxHours: number) => (t += Math.round(random.float(minHours, maxHours) * HOUR));
    if (random.chance(0.04) || workers.length === 0) {
      if (next(2, 24) < end) event('REJECTED', t, 'REJECTED', { status: 'REJECTED', lastReason: REJECT_REASON }, REJECT_REASON);
    } else {
      const assignee = random.pick(workers);
      const lateFactor = random.chance(0.15) ? random.float(1.05, 2) : random.float(0.1, 0.95);
      const resolveAt = createdAt + Math.round(category.communityHours * lateFactor * HOUR);
      const satisfaction = random.weightedPick(SATISFACTION.map(([s]) => s), SATISFACTION.map(([, w]) => w));
      const rated = random.chance(0.8);
      const closed = rated || random.chance(0.5);
      const steps: Array<() => boolean> = [
        // One in ten waits days for dispatch (a backlog the dashboards show).
        // The member has the category's time from the dispatch when that ends after the request's due
        // time (request.states.ts, assigneeDueOnDispatch), as a live dispatch gives it.
        () => (random.chance(0.1) ? next(24, 120) : next(0.5, 8)) < end && (event('DISPATCHED', t, 'DISPATCHED', {
          status: 'DISPATCHED', assigneePersonId: assignee, ...memberDue(assigneeDueOnDispatch(new Date(state.dueAt as string), new Date(t), category.communityHours)),
        }), true),
        () => next(0.2, 4) < end && (event('TAKEN', t, 'TAKEN', { status: 'TAKEN' }), true),
        () => next(0, 6) < end && (event('STARTED', t, 'IN_PROGRESS', { status: 'IN_PROGRESS' }), true),
        () => {
          t = Math.max(t + HOUR, resolveAt);
          if (t >= end) return false;
          event('RESOLVED', t, 'RESOLVED', { status: 'RESOLVED', resolvedAt: iso(t) }, random.pick(RESOLUTION_NOTES));
          return true;
        },
        () => {
          if (!rated) return true;
          if (next(1, 48) >= end) return false;
          const comment = random.pick(RATING_COMMENTS[satisfaction]);
          event('RATED', t, 'RESOLVED', { satisfaction, ratingComment: comment });
          if (satisfaction >= 3) {
            plan.pointEntries.push({
              id: plan.pointEntries.length + 1, created_at: iso(t), updated_at: iso(t), person_id: assignee, kind: 'REQUEST_RESOLVED',
              amount: world.requestPoints, source_type: 'Request', source_id: id, note: null,
            });
          }
          return true;
        },
        () => closed && next(2, 72) < end && (event('CLOSED_OUT', t, 'CLOSED', { status: 'CLOSED', closedAt: iso(t) }, CLOSE_REASON), true),
      ];
      for (const step of steps) if (!step()) break;
    }

    const number = `QC-${new Date(createdAt + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '')}-${String(id).padStart(6, '0')}`;
    for (const entry of plan.pointEntries) if (entry.source_id === id && entry.note === null) entry.note = `办结 ${number}`;
    plan.requests.push({
      id, created_at: iso(createdAt), updated_at: iso(updatedAt), number, title, body, channel, category_id: category.id, area_id: place.id,
      resident_group: residentGroup, resident_name: `示例居民${String(id).padStart(4, '0')}`, resident_phone: `1380000${String(id).padStart(4, '0')}`,
      status: state.status, status_before_suspension: null, level: state.level, assignee_person_id: state.assigneePersonId, assignee_unit_id: null,
      due_at: state.dueAt, assignee_due_at: state.assigneeDueAt, suspended_at: null, resolved_at: state.resolvedAt, closed_at: state.closedAt, satisfaction: state.satisfaction,
      rating_comment: state.ratingComment, last_reason: state.lastReason,
      // The service's version: 1 on insert, +1 for the number, +1 per later step.
      version: sequence + 1,
    });
  });
  return plan;
}

/** Reads what the planner needs from the seeded city. */
async function readWorld(trx: Knex.Transaction): Promise<DemoRequestWorld> {
  const communities = (await trx.raw(`select id, name, coalesce(population, 0)::int as population from area where level = 'COMMUNITY' order by id`)).rows;
  const places = (await trx.raw(`
    select a.id, a.level, a.name, split_part(a.path, '/', 4)::int as community_id, split_part(a.path, '/', 5)::int as grid_id
    from area a where a.level in ('GRID', 'BUILDING') order by a.id`)).rows as Array<{ id: number; level: 'GRID' | 'BUILDING'; name: string; community_id: number; grid_id: number }>;
  const assignments = (await trx.raw(`
    select ga.grid_id, ga.person_id from grid_assignment ga join person p on p.id = ga.person_id
    where p.party_status is not null order by ga.grid_id, ga.id`)).rows as Array<{ grid_id: number; person_id: number }>;
  const workers = new Map<number, number[]>();
  for (const row of assignments) workers.set(row.grid_id, [...(workers.get(row.grid_id) ?? []), row.person_id]);
  // A grid whose workers are all non-members: its branch secretary (a party member) takes its requests.
  const secretaries = (await trx.raw(`
    select o.area_id as grid_id, o.secretary_id as person_id from party_organization o
      join area g on g.id = o.area_id and g.level = 'GRID' join person p on p.id = o.secretary_id
    where o.kind = 'BRANCH' and not o.functional and p.party_status is not null order by o.area_id, o.id`)).rows as Array<{ grid_id: number; person_id: number }>;
  for (const row of secretaries) if (!workers.has(row.grid_id)) workers.set(row.grid_id, [row.person_id]);
  const categories = (await trx.raw(`
    select c.id, c.code, coalesce(c.community_hours, p.community_hours, 72)::int as community_hours
    from request_category c join request_category p on p.id = c.parent_id where c.active order by c.code`)).rows as Array<{ id: number; code: string; community_hours: number }>;
  const rule = (await trx.raw(`select points from point_rule where kind = 'REQUEST_RESOLVED' and active order by id desc limit 1`)).rows[0];
  return {
    communities,
    places: places.map((p) => ({ id: p.id, level: p.level, name: p.name, communityId: p.community_id, gridId: p.grid_id })),
    workers,
    categories: categories.map((c) => ({ id: c.id, code: c.code, communityHours: c.community_hours })),
    // Without an active rule nobody earns points (seedDemoRequests then writes no entries).
    requestPoints: rule ? Number(rule.points) : 0,
  };
}

/**
 * Seeds the demo requests into a database that has the demo city and no requests yet, in one
 * transaction (a savepoint inside the caller's): requests, their ledgers, the points their
 * ratings earned, and request_daily and the demand roll-ups' request part recomputed. Throws when requests exist.
 */
export async function seedDemoRequests(em: EntityManager, options: DemoRequestOptions): Promise<DemoRequestCounts> {
  return em.transactional(async (tem) => {
    const trx = tem.getTransactionContext<Knex.Transaction>();
    if (!trx) throw new Error('seedDemoRequests: no transaction context');
    const [{ present }] = (await trx.raw('select exists (select 1 from request) as present')).rows;
    if (present) throw new Error('seedDemoRequests: the database already has requests');
    const world = await readWorld(trx);
    const plan = planDemoRequests(world, {
      count: options.count ?? DEMO_REQUEST_COUNTS[options.scale],
      seed: options.seed ?? 20240701,
      now: options.now ?? new Date(),
    });
    // Point entries may exist already (the requests may not): number ours after them.
    const [{ last }] = (await trx.raw('select coalesce(max(id), 0)::int as last from point_entry')).rows;
    const pointEntries = world.requestPoints > 0 ? plan.pointEntries.map((entry) => ({ ...entry, id: Number(entry.id) + Number(last) })) : [];
    for (const [table, rows] of [['request', plan.requests], ['request_event', plan.events], ['point_entry', pointEntries]] as const) {
      for (let i = 0; i < rows.length; i += CHUNK) await trx.insert(rows.slice(i, i + CHUNK)).into(table);
      await trx.raw(`select setval(pg_get_serial_sequence(?, 'id'), coalesce(max("id"), 0) + 1, false) from ??`, [table, table]);
    }
    await refreshRequestDaily(entityManagerRunner(tem));
    return { requests: plan.requests.length, events: plan.events.length, pointEntries: pointEntries.length };
  });
}
