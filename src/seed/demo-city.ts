/**
 * A deterministic demo city: one district of streets, communities, grids and buildings,
 * with the party organisation tree, resident and paired units, alliances, co-building
 * agreements, registered party members and staff, part-time seats, grid workers, and the
 * service posts reported members hold.
 *
 * The whole city is planned in memory first (explicit ids, every foreign key known), then
 * written with multi-row INSERTs in one transaction and the id sequences are moved past
 * the ids used. Same scale + seed → byte-identical data, including the timestamps.
 *
 * This file is long on purpose: the planner's stages share one random stream and one set
 * of lookups, and splitting them would only scatter that state.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  AGREEMENT_DUTIES, COMMUNITY_BASE_NAMES, DEMO_CITY, DEMO_DISTRICT, DISTRICT_AGENCIES, FUNCTIONAL_BRANCHES, ID_REGION_CODES,
  OUT_OF_DISTRICT_UNITS, PART_TIME_TITLES, STREET_NAMES, agreementTitle, allianceName, baseName, buildingName, compoundName,
  districtAddress, districtAgencyName, enterpriseName, functionalBranchName, gridName, hospitalName, mobilePhone,
  outOfDistrictAddress, ownersCommitteeName, partyOrgNames, personName, policeStationName, propertyCompanyName,
  residentIdNumber, schoolName, SERVICE_POSTS, socialCreditCode, socialOrganizationName, streetHealthCentreName, streetOfficeName,
  type FunctionalBranchKind, type UnitNameContext,
} from './names';
import { MAX_POST_CAPACITY } from '../modules/service-post/service-post.inputs';
import { Random, WeightedTable } from './random';
import { addDays } from '../common/dates';

export type SeedScale = 'small' | 'city';

export interface SeedCounts {
  districts: number;
  streets: number;
  communities: number;
  grids: number;
  buildings: number;
  units: number;
  partyOrganizations: number;
  partTimeMembers: number;
  alliances: number;
  allianceMembers: number;
  pairings: number;
  people: number;
  partyMembers: number;
  gridAssignments: number;
  servicePosts: number;
  postClaims: number;
}

export interface SeedOptions {
  scale: SeedScale;
  /** Defaults to DEFAULT_SEED. */
  seed?: number;
  /** Called as the plan is built and after every inserted chunk. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export const SEED_SCALES: readonly SeedScale[] = ['small', 'city'];
/** 7 月 1 日, the party's founding day. */
export const DEFAULT_SEED = 20240701;

interface ScaleProfile {
  streets: number;
  communities: number;
  gridsPerCommunity: [number, number];
  buildingsPerGrid: [number, number];
  units: number;
  people: number;
}

const PROFILES: Record<SeedScale, ScaleProfile> = {
  small: { streets: 3, communities: 12, gridsPerCommunity: [8, 12], buildingsPerGrid: [6, 10], units: 80, people: 1500 },
  city: { streets: 8, communities: 60, gridsPerCommunity: [13, 17], buildingsPerGrid: [11, 16], units: 600, people: 20000 },
};

/** Domain tables in foreign-key order (parents first); every row the seed writes lands in one of these. */
const TABLES = [
  'area', 'unit', 'party_organization', 'person', 'alliance', 'alliance_member', 'pairing', 'part_time_member', 'grid_assignment',
  'service_post', 'post_claim',
] as const;
type TableName = (typeof TABLES)[number];
type Row = Record<string, string | number | boolean | null>;

const CHUNK_SIZE = 1000;
/** Advisory lock key held while seeding ("gjseed"). */
const SEED_LOCK_KEY = 0x676a73656564;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** True when the area table has at least one row (false too when it does not exist yet). */
export async function hasAreas(em: EntityManager): Promise<boolean> {
  const [table] = await em.execute<Array<{ name: string | null }>>(`select to_regclass('area')::text as name`);
  if (!table?.name) return false;
  const rows = await em.execute<Array<{ present: boolean }>>('select exists (select 1 from "area") as present');
  return rows[0]?.present === true;
}

/**
 * Builds the demo city for `scale` and `seed` and inserts it in one transaction (a savepoint
 * when `em` is already inside one). The domain tables must be empty (ids are assigned from 1):
 * it throws when the area table has rows. Takes ~0.3 s for `small` and ~2-3 s for `city`.
 */
export async function seedDemoCity(em: EntityManager, options: SeedOptions): Promise<SeedCounts> {
  const seed = options.seed ?? DEFAULT_SEED;
  const progress = options.onProgress ?? (() => undefined);
  progress('plan', 0, 1);
  const plan = new DemoCityPlanner(PROFILES[options.scale], seed).build();
  progress('plan', 1, 1);

  await em.transactional(async (tem) => {
    const trx = tem.getTransactionContext<Knex.Transaction>();
    if (!trx) throw new Error('seedDemoCity: no transaction context');
    // Two processes starting on an empty database must not both seed: the second waits here,
    // then finds the areas the first committed.
    await trx.raw('select pg_advisory_xact_lock(?)', [SEED_LOCK_KEY]);
    if (await hasAreas(tem)) throw new Error('seedDemoCity: the database already has areas; call clearAllData first');
    for (const table of TABLES) {
      const rows = plan.rows[table];
      for (let start = 0; start < rows.length; start += CHUNK_SIZE) {
        await trx.insert(rows.slice(start, start + CHUNK_SIZE)).into(table);
        progress(table, Math.min(start + CHUNK_SIZE, rows.length), rows.length);
      }
      if (rows.length === 0) progress(table, 0, 0);
    }
    // Party organisations and people point at each other: secretaries are set once both exist.
    const pairs = plan.secretaries;
    for (let start = 0; start < pairs.length; start += CHUNK_SIZE) {
      const chunk = pairs.slice(start, start + CHUNK_SIZE);
      await trx.raw(
        `update "party_organization" as p set "secretary_id" = v.sid from (values ${chunk.map(() => '(?::int, ?::int)').join(', ')}) as v(id, sid) where p."id" = v.id`,
        chunk.flat(),
      );
      progress('party_organization.secretary_id', Math.min(start + CHUNK_SIZE, pairs.length), pairs.length);
    }
    // Posts name their request category by code: the catalogue's ids are the migrations'.
    const postCategories = plan.postCategories;
    for (let start = 0; start < postCategories.length; start += CHUNK_SIZE) {
      const chunk = postCategories.slice(start, start + CHUNK_SIZE);
      await trx.raw(
        `update "service_post" as p set "category_id" = c."id" from (values ${chunk.map(() => '(?::int, ?::text)').join(', ')}) as v(id, code)
           join "request_category" as c on c."code" = v.code where p."id" = v.id`,
        chunk.flat(),
      );
    }
    for (const [index, table] of TABLES.entries()) {
      await trx.raw(`select setval(pg_get_serial_sequence(?, 'id'), coalesce(max("id"), 0) + 1, false) from ??`, [table, table]);
      progress('sequences', index + 1, TABLES.length);
    }
  });
  return plan.counts;
}

/**
 * Tables a reset keeps: reference data that migrations load (category catalogue, point rules,
 * service items), and the working-day calendar with its hand-set days (the country's, not the city's).
 */
export const REFERENCE_TABLES: ReadonlySet<string> = new Set(['mikro_orm_migrations', 'request_category', 'point_rule', 'service_item', 'work_calendar', 'work_calendar_adjustment']);

/**
 * Empties every table the ORM maps (TRUNCATE … RESTART IDENTITY CASCADE) except REFERENCE_TABLES.
 * Tables of entities whose migration has not run yet are skipped.
 */
export async function clearAllData(em: EntityManager): Promise<void> {
  const mapped = new Set<string>();
  for (const meta of Object.values(em.getMetadata().getAll())) {
    if (meta.embeddable || meta.virtual || !meta.tableName || REFERENCE_TABLES.has(meta.tableName)) continue;
    mapped.add(meta.tableName);
  }
  const existing = await em.execute<Array<{ table_name: string }>>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  const tables = existing.map((row) => row.table_name).filter((name) => mapped.has(name)).sort();
  if (tables.length === 0) return;
  await em.execute(`truncate table ${tables.map((name) => `"${name.replace(/"/g, '""')}"`).join(', ')} restart identity cascade`);
}

// ---------------------------------------------------------------------------
// The in-memory plan
// ---------------------------------------------------------------------------

type UnitKind = 'AGENCY' | 'ENTERPRISE' | 'SCHOOL' | 'HOSPITAL' | 'POLICE_STATION' | 'PROPERTY_COMPANY' | 'OWNERS_COMMITTEE' | 'SOCIAL_ORGANIZATION';
type PartyStatus = 'IN_SERVICE' | 'RETIRED' | 'MOBILE';
type AllianceModel = 'ONE_THREE_N' | 'ONE_N_X' | 'BIG_PARTY_COMMITTEE';
type AllianceRole = 'CORE' | 'POLICE' | 'OWNERS_COMMITTEE' | 'PROPERTY' | 'IN_AREA' | 'OUT_OF_AREA';

interface StreetPlan {
  id: number; name: string; code: string; lon: number; lat: number; path: string;
  communities: CommunityPlan[];
  committeeId: number; functional: Partial<Record<FunctionalBranchKind, number>>;
  officeUnitId: number; policeUnitIds: number[];
}
interface CommunityPlan {
  id: number; name: string; code: string; lon: number; lat: number; path: string; street: StreetPlan; row: Row;
  grids: GridPlan[]; compounds: string[]; population: number;
  committeeId: number; functional: Partial<Record<FunctionalBranchKind, number>>;
  policeUnitId: number; propertyUnitIds: number[]; ownersUnitIds: number[];
  residents: PersonPlan[]; gridTable?: WeightedTable<GridPlan>;
}
interface GridPlan {
  id: number; number: number; code: string; lon: number; lat: number; path: string; community: CommunityPlan; row: Row;
  buildings: BuildingPlan[]; population: number; branchId: number; groupIds: number[];
}
interface BuildingPlan { id: number; name: string; code: string; grid: GridPlan; households: number }
interface UnitPlan {
  id: number; name: string; kind: UnitKind; street: StreetPlan | null; community: CommunityPlan | null;
  districtAgency: boolean; employeeWeight: number; employees: PersonPlan[];
}
interface PersonPlan {
  id: number; row: Row; status: PartyStatus | null; birthYear: number; community: CommunityPlan;
  organizationId: number | null; employer: UnitPlan | null;
}
interface OrgPlan { id: number; row: Row; members: PersonPlan[]; secretaryId: number | null }

interface Plan {
  rows: Record<TableName, Row[]>;
  secretaries: Array<[number, number]>;
  /** [service post id, request category code]. */
  postCategories: Array<[number, string]>;
  counts: SeedCounts;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

function addYears(iso: string, years: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

/** Splits `total` into integers proportional to `weights` that sum exactly to `total` (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k][1]]++;
  return result;
}

class DemoCityPlanner {
  private readonly random: Random;
  private readonly stamp: string;
  private readonly rows: Record<TableName, Row[]> = {
    area: [], unit: [], party_organization: [], person: [], alliance: [], alliance_member: [], pairing: [], part_time_member: [], grid_assignment: [],
    service_post: [], post_claim: [],
  };
  private readonly postCategories: Array<[number, string]> = [];
  private readonly streets: StreetPlan[] = [];
  private readonly communities: CommunityPlan[] = [];
  private readonly grids: GridPlan[] = [];
  private buildingCount = 0;
  private readonly units: UnitPlan[] = [];
  private readonly unitNames = new Map<string, UnitPlan>();
  private readonly unitCodes = new Set<string>();
  private readonly orgs: OrgPlan[] = [];
  private readonly people: PersonPlan[] = [];
  private readonly idNumbers = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly alliancesByArea = new Map<number, { id: number; members: Map<number, Row> }>();
  private readonly pairedUnits = new Map<number, UnitPlan[]>();

  constructor(private readonly profile: ScaleProfile, private readonly seed: number) {
    this.random = new Random(seed);
    // A fixed creation time derived from the seed keeps whole rows deterministic.
    const offsetDays = Math.abs(Math.trunc(seed)) % 365;
    this.stamp = new Date(Date.UTC(2025, 0, 1, 8, 0, 0) + offsetDays * DAY_MS).toISOString();
  }

  build(): Plan {
    this.planAreas();
    this.planUnits();
    this.planPartyOrganizations();
    this.planPeople();
    this.assignEmployers();
    const secretaries = this.planSecretaries();
    this.planPairings();
    this.planAlliances();
    this.planPartTimeMembers();
    this.planGridAssignments();
    this.planServicePosts();
    this.placeReportedStaff();
    const counts: SeedCounts = {
      districts: 1,
      streets: this.streets.length,
      communities: this.communities.length,
      grids: this.grids.length,
      buildings: this.buildingCount,
      units: this.rows.unit.length,
      partyOrganizations: this.rows.party_organization.length,
      partTimeMembers: this.rows.part_time_member.length,
      alliances: this.rows.alliance.length,
      allianceMembers: this.rows.alliance_member.length,
      pairings: this.rows.pairing.length,
      people: this.rows.person.length,
      partyMembers: this.people.filter((p) => p.status !== null).length,
      gridAssignments: this.rows.grid_assignment.length,
      servicePosts: this.rows.service_post.length,
      postClaims: this.rows.post_claim.length,
    };
    return { rows: this.rows, secretaries, postCategories: this.postCategories, counts };
  }

  private date(from: string, to: string): string {
    return isoDate(this.random.int(dayNumber(from), dayNumber(to)));
  }

  private timestamps(): { created_at: string; updated_at: string } {
    return { created_at: this.stamp, updated_at: this.stamp };
  }

  // -- areas ----------------------------------------------------------------

  private addArea(fields: {
    level: string; name: string; code: string; parentId: number | null; parentPath: string; lon: number; lat: number;
  }): { id: number; path: string; row: Row } {
    const id = this.rows.area.length + 1;
    const path = `${fields.parentPath}${id}/`;
    const row: Row = {
      id, ...this.timestamps(), level: fields.level, name: fields.name, code: fields.code, parent_id: fields.parentId, path,
      longitude: round6(fields.lon), latitude: round6(fields.lat), boundary: null, population: null, households: null, floors: null,
    };
    this.rows.area.push(row);
    return { id, path, row };
  }

  private planAreas(): void {
    const r = this.random;
    const district = this.addArea({
      level: 'DISTRICT', name: DEMO_DISTRICT.name, code: DEMO_DISTRICT.code, parentId: null, parentPath: '/', lon: DEMO_CITY.longitude, lat: DEMO_CITY.latitude,
    });

    // Streets on a jittered lattice around the city centre.
    const streetNames = r.sample(STREET_NAMES, this.profile.streets);
    const cols = Math.ceil(Math.sqrt(streetNames.length));
    const rowsOfStreets = Math.ceil(streetNames.length / cols);
    streetNames.forEach((name, i) => {
      const lon = DEMO_CITY.longitude + ((i % cols) - (cols - 1) / 2) * 0.036 + r.float(-0.006, 0.006);
      const lat = DEMO_CITY.latitude + ((rowsOfStreets - 1) / 2 - Math.floor(i / cols)) * 0.028 + r.float(-0.005, 0.005);
      const code = DEMO_DISTRICT.code + pad(i + 1, 3);
      const area = this.addArea({ level: 'STREET', name, code, parentId: district.id, parentPath: district.path, lon, lat });
      this.streets.push({ id: area.id, name, code, lon, lat, path: area.path, communities: [], committeeId: 0, functional: {}, officeUnitId: 0, policeUnitIds: [] });
    });

    // Communities, spread as evenly as possible over the streets.
    const perStreet = apportion(this.profile.communities, this.streets.map(() => 1 + r.float(0, 0.01)));
    const communityNames = r.sample(COMMUNITY_BASE_NAMES, this.profile.communities);
    let nameIndex = 0;
    for (const [s, street] of this.streets.entries()) {
      for (let k = 0; k < perStreet[s]; k++) {
        const name = `${communityNames[nameIndex++]}社区`;
        const lon = street.lon + r.float(-0.013, 0.013);
        const lat = street.lat + r.float(-0.010, 0.010);
        const code = street.code + pad(k + 1, 3);
        const area = this.addArea({ level: 'COMMUNITY', name, code, parentId: street.id, parentPath: street.path, lon, lat });
        area.row.boundary = JSON.stringify(this.boundaryAround(lon, lat));
        const community: CommunityPlan = {
          id: area.id, name, code, lon, lat, path: area.path, street, row: area.row, grids: [], compounds: [], population: 0,
          committeeId: 0, functional: {}, policeUnitId: 0, propertyUnitIds: [], ownersUnitIds: [], residents: [],
        };
        street.communities.push(community);
        this.communities.push(community);
      }
    }

    for (const community of this.communities) {
      const count = r.int(...this.profile.gridsPerCommunity);
      for (let n = 1; n <= count; n++) {
        const lon = community.lon + r.float(-0.0038, 0.0038);
        const lat = community.lat + r.float(-0.003, 0.003);
        const code = community.code + pad(n, 3);
        const area = this.addArea({ level: 'GRID', name: gridName(community.name, n), code, parentId: community.id, parentPath: community.path, lon, lat });
        const grid: GridPlan = {
          id: area.id, number: n, code, lon, lat, path: area.path, community, row: area.row, buildings: [], population: 0, branchId: 0, groupIds: [],
        };
        community.grids.push(grid);
        this.grids.push(grid);
      }
    }

    // Buildings belong to residential compounds (小区); a big compound may span two grids.
    for (const community of this.communities) {
      const numbering = new Map<string, number>();
      let previous: string | null = null;
      for (const grid of community.grids) {
        const compounds: string[] = [];
        if (previous && r.chance(0.35)) compounds.push(previous);
        while (compounds.length < (r.chance(0.6) ? 1 : 2)) {
          let name = compoundName(r);
          for (let tries = 0; community.compounds.includes(name) && tries < 10; tries++) name = compoundName(r);
          if (community.compounds.includes(name)) break;
          community.compounds.push(name);
          compounds.push(name);
        }
        if (compounds.length === 0) compounds.push(community.compounds[community.compounds.length - 1] ?? compoundName(r));
        previous = compounds[compounds.length - 1];
        const count = r.int(...this.profile.buildingsPerGrid);
        let households = 0;
        for (let b = 1; b <= count; b++) {
          const compound = compounds[Math.min(compounds.length - 1, Math.floor(((b - 1) * compounds.length) / count))];
          const number = (numbering.get(compound) ?? 0) + 1;
          numbering.set(compound, number);
          const { floors, homes } = this.buildingShape();
          const code = grid.code + pad(b, 3);
          const name = buildingName(compound, number);
          const area = this.addArea({
            level: 'BUILDING', name, code, parentId: grid.id, parentPath: grid.path,
            lon: grid.lon + r.float(-0.0012, 0.0012), lat: grid.lat + r.float(-0.001, 0.001),
          });
          area.row.households = homes;
          area.row.floors = floors;
          grid.buildings.push({ id: area.id, name, code, grid, households: homes });
          households += homes;
          this.buildingCount++;
        }
        // Bungalows and shop-houses outside the numbered buildings.
        households += r.int(0, 30);
        grid.population = Math.round(households * r.float(2.3, 2.9));
        grid.row.households = households;
        grid.row.population = grid.population;
      }
      community.population = community.grids.reduce((sum, g) => sum + g.population, 0);
      community.row.population = community.population;
      community.row.households = community.grids.reduce((sum, g) => sum + Number(g.row.households), 0);
    }
  }

  /** Mostly old walk-ups, some mid-rise and a few towers: floors and households. */
  private buildingShape(): { floors: number; homes: number } {
    const r = this.random;
    const kind = r.next();
    if (kind < 0.78) {
      const floors = r.int(5, 7);
      return { floors, homes: floors * r.int(1, 3) * 2 };
    }
    if (kind < 0.93) {
      const floors = r.int(8, 11);
      return { floors, homes: floors * r.int(1, 2) * 2 };
    }
    const floors = r.int(12, 33);
    return { floors, homes: floors * r.int(1, 2) * r.int(2, 4) };
  }

  /** A small irregular GeoJSON Polygon (closed, counter-clockwise ring) around a centre. */
  private boundaryAround(lon: number, lat: number): Record<string, unknown> {
    const r = this.random;
    const vertices = r.int(6, 9);
    const radius = r.float(0.0045, 0.0065);
    const lonScale = 1 / Math.cos((lat * Math.PI) / 180);
    const ring: number[][] = [];
    for (let k = 0; k < vertices; k++) {
      const angle = ((k + r.float(-0.25, 0.25)) / vertices) * 2 * Math.PI;
      const rr = radius * r.float(0.8, 1.2);
      ring.push([round6(lon + rr * Math.cos(angle) * lonScale), round6(lat + rr * Math.sin(angle))]);
    }
    ring.push([...ring[0]]);
    return { type: 'Polygon', coordinates: [ring] };
  }

  // -- units ----------------------------------------------------------------

  private addUnit(fields: {
    name: string; kind: UnitKind; street: StreetPlan | null; community: CommunityPlan | null; authority: string; employeeWeight: number; districtAgency?: boolean;
  }): UnitPlan {
    const r = this.random;
    const inDistrict = fields.street !== null || fields.community !== null;
    const region = inDistrict ? DEMO_DISTRICT.code : r.pick(['370100', '370102', '370103', '370104', '370105', '370112']);
    let code = socialCreditCode(r, fields.authority, region);
    while (this.unitCodes.has(code)) code = socialCreditCode(r, fields.authority, region);
    this.unitCodes.add(code);
    const id = this.rows.unit.length + 1;
    const female = r.chance(0.45);
    this.rows.unit.push({
      id, ...this.timestamps(), name: fields.name, code, kind: fields.kind,
      address: inDistrict ? districtAddress(r) : outOfDistrictAddress(r),
      contact_name: personName(r, female, r.int(1965, 1995)), contact_phone: mobilePhone(r),
      area_id: fields.community?.id ?? fields.street?.id ?? null,
    });
    const unit: UnitPlan = {
      id, name: fields.name, kind: fields.kind, street: fields.street ?? fields.community?.street ?? null, community: fields.community,
      districtAgency: fields.districtAgency ?? false, employeeWeight: fields.employeeWeight, employees: [],
    };
    this.units.push(unit);
    this.unitNames.set(fields.name, unit);
    return unit;
  }

  private planUnits(): void {
    const r = this.random;
    for (const street of this.streets) {
      street.officeUnitId = this.addUnit({ name: streetOfficeName(street.name), kind: 'AGENCY', street, community: null, authority: '11', employeeWeight: 8 }).id;
      this.addUnit({ name: streetHealthCentreName(street.name), kind: 'HOSPITAL', street, community: null, authority: '12', employeeWeight: 5 });
      // One police station per ~4 communities, each covering a run of neighbouring communities.
      const stations = Math.max(1, Math.ceil(street.communities.length / 4));
      const covered = apportion(street.communities.length, Array.from({ length: stations }, () => 1));
      let next = 0;
      for (let s = 0; s < stations; s++) {
        const station = this.addUnit({ name: policeStationName(street.name, s), kind: 'POLICE_STATION', street, community: null, authority: '11', employeeWeight: 6 });
        street.policeUnitIds.push(station.id);
        for (let k = 0; k < covered[s]; k++) street.communities[next++].policeUnitId = station.id;
      }
    }

    for (const community of this.communities) {
      const street = community.street;
      // Owners' committees of one or two of the community's compounds.
      for (const compound of r.sample(community.compounds, r.chance(0.25) ? 2 : 1)) {
        let name = ownersCommitteeName(compound);
        if (this.unitNames.has(name)) name = ownersCommitteeName(`${baseName(community.name)}${compound}`);
        if (this.unitNames.has(name)) continue;
        community.ownersUnitIds.push(this.addUnit({ name, kind: 'OWNERS_COMMITTEE', street, community, authority: 'Y1', employeeWeight: 0 }).id);
      }
      // Property companies: big brands and local firms, often serving several communities.
      const wanted = r.chance(0.3) ? 2 : 1;
      for (let tries = 0; community.propertyUnitIds.length < wanted && tries < 10; tries++) {
        const name = propertyCompanyName(r);
        const existing = this.unitNames.get(name);
        const company = existing ?? this.addUnit({ name, kind: 'PROPERTY_COMPANY', street, community, authority: '91', employeeWeight: 2 });
        if (company.kind === 'PROPERTY_COMPANY' && !community.propertyUnitIds.includes(company.id)) community.propertyUnitIds.push(company.id);
      }
    }

    // District departments: the core ones always, the rest sampled; most sit near the district seat.
    const agencyCount = Math.min(DISTRICT_AGENCIES.length, Math.round(this.profile.units * 0.1));
    const departments = [...DISTRICT_AGENCIES.slice(0, 8), ...r.sample(DISTRICT_AGENCIES.slice(8), agencyCount - 8)];
    const seat = this.streets[0];
    for (const department of departments) {
      const community = r.chance(0.6) ? r.pick(seat.communities) : r.chance(0.5) ? r.pick(this.communities) : null;
      const street = community ? community.street : r.pick(this.streets);
      const authority = /总工会|妇女联合会|残疾人联合会|红十字会/.test(department) ? '13' : /中心|馆|党校/.test(department) ? '12' : '11';
      this.addUnit({ name: districtAgencyName(department), kind: 'AGENCY', street, community, authority, employeeWeight: 6, districtAgency: true });
    }

    // Units from outside the district (区外单位): about a tenth.
    const outside = Math.round(this.profile.units * 0.1);
    const pools: Record<string, string[]> = {};
    for (const [kind, names] of Object.entries(OUT_OF_DISTRICT_UNITS)) pools[kind] = r.shuffle([...names]);
    const outsideKinds = ['AGENCY', 'ENTERPRISE', 'HOSPITAL', 'SCHOOL', 'SOCIAL_ORGANIZATION'] as const;
    for (let made = 0, guard = 0; made < outside && guard < outside * 20; guard++) {
      const kind = r.weightedPick(outsideKinds, [3, 4, 1.2, 1, 0.8]);
      let name = pools[kind].pop();
      let actualKind: UnitKind = kind;
      if (!name) {
        actualKind = 'ENTERPRISE';
        name = enterpriseName(r, { streetName: '', communityName: r.pick(['历下', '市中', '槐荫', '天桥', '历城']), compound: '' });
      }
      if (this.unitNames.has(name)) continue;
      const authority = { AGENCY: '11', ENTERPRISE: '91', HOSPITAL: '12', SCHOOL: '12', SOCIAL_ORGANIZATION: '51' }[actualKind as typeof outsideKinds[number]];
      this.addUnit({ name, kind: actualKind, street: null, community: null, authority, employeeWeight: 4 });
      made++;
    }

    // The rest: enterprises, schools, social organisations and hospitals around the district.
    const fillKinds = ['ENTERPRISE', 'SCHOOL', 'SOCIAL_ORGANIZATION', 'HOSPITAL'] as const;
    for (let guard = 0; this.units.length < this.profile.units && guard < this.profile.units * 20; guard++) {
      const kind = r.weightedPick(fillKinds, [50, 18, 16, 8]);
      const community = r.pick(this.communities);
      const context: UnitNameContext = { streetName: community.street.name, communityName: community.name, compound: r.pick(community.compounds) };
      const name =
        kind === 'ENTERPRISE' ? enterpriseName(r, context)
        : kind === 'SCHOOL' ? schoolName(r, context)
        : kind === 'HOSPITAL' ? hospitalName(r, context)
        : socialOrganizationName(r, context);
      if (this.unitNames.has(name)) continue;
      const local = name.includes(baseName(community.name)) || r.chance(0.65);
      const authority =
        kind === 'ENTERPRISE' ? '91'
        : kind === 'SCHOOL' ? '12'
        : kind === 'HOSPITAL' ? (name.startsWith(DEMO_DISTRICT.name) || name.endsWith('卫生服务站') ? '12' : '52')
        : /协会|联合会|总会|老年协会/.test(name) ? '51' : /基金会/.test(name) ? '53' : '52';
      const weight = { ENTERPRISE: 3, SCHOOL: 5, HOSPITAL: name.endsWith('人民医院') ? 10 : 4, SOCIAL_ORGANIZATION: 1 }[kind];
      this.addUnit({ name, kind, street: community.street, community: local ? community : null, authority, employeeWeight: weight });
    }
  }

  // -- party organisations ----------------------------------------------------

  private addOrg(fields: {
    name: string; code: string; kind: string; areaId: number; parentId: number | null; established: string; functional?: FunctionalBranchKind;
  }): number {
    const id = this.rows.party_organization.length + 1;
    const row: Row = {
      id, ...this.timestamps(), name: fields.name, code: fields.code, kind: fields.kind, functional: fields.functional !== undefined,
      function_description: fields.functional ? FUNCTIONAL_BRANCHES[fields.functional].description : null,
      area_id: fields.areaId, parent_id: fields.parentId, secretary_id: null, established_on: fields.established,
    };
    this.rows.party_organization.push(row);
    this.orgs.push({ id, row, members: [], secretaryId: null });
    return id;
  }

  private planPartyOrganizations(): void {
    const r = this.random;
    const addFunctional = (
      area: { id: number; name: string; code: string; functional: Partial<Record<FunctionalBranchKind, number>> },
      parentId: number, kind: FunctionalBranchKind, ordinal: number,
    ): void => {
      area.functional[kind] = this.addOrg({
        name: functionalBranchName(area.name, kind), code: `D${area.code}${pad(ordinal, 2)}`, kind: 'BRANCH', areaId: area.id, parentId,
        established: this.date('2018-07-01', '2024-07-01'), functional: kind,
      });
    };
    for (const street of this.streets) {
      street.committeeId = this.addOrg({
        name: partyOrgNames.streetCommittee(street.name), code: `D${street.code}01`, kind: 'COMMITTEE', areaId: street.id, parentId: null,
        established: this.date('1998-01-01', '2012-12-31'),
      });
      addFunctional(street, street.committeeId, 'mobile', 2);
      if (r.chance(0.5)) addFunctional(street, street.committeeId, 'newEmployment', 3);
    }
    for (const community of this.communities) {
      community.committeeId = this.addOrg({
        name: partyOrgNames.communityCommittee(community.name), code: `D${community.code}01`, kind: 'COMMITTEE', areaId: community.id,
        parentId: community.street.committeeId, established: this.date('2003-01-01', '2016-12-31'),
      });
      let ordinal = 2;
      if (r.chance(0.45)) addFunctional(community, community.committeeId, 'retired', ordinal++);
      if (r.chance(0.25)) addFunctional(community, community.committeeId, 'volunteer', ordinal++);
      if (r.chance(0.15)) addFunctional(community, community.committeeId, 'inService', ordinal++);
    }
    for (const grid of this.grids) {
      grid.branchId = this.addOrg({
        name: partyOrgNames.gridBranch(grid.community.name, grid.number), code: `D${grid.code}01`, kind: 'BRANCH', areaId: grid.id,
        parentId: grid.community.committeeId, established: this.date('2017-01-01', '2022-12-31'),
      });
    }
    // Building groups (楼栋党小组) in about one building in six, more likely in bigger buildings.
    for (const grid of this.grids) {
      for (const building of grid.buildings) {
        if (!r.chance(building.households >= 60 ? 0.3 : 0.14)) continue;
        grid.groupIds.push(this.addOrg({
          name: partyOrgNames.buildingGroup(building.name), code: `D${building.code}01`, kind: 'GROUP', areaId: building.id,
          parentId: grid.branchId, established: this.date('2019-01-01', '2024-06-30'),
        }));
      }
    }
  }

  private org(id: number): OrgPlan {
    return this.orgs[id - 1];
  }

  // -- people -----------------------------------------------------------------

  private planPeople(): void {
    const r = this.random;
    const regionTable = new WeightedTable(ID_REGION_CODES, (entry) => entry[1]);
    const statusTable = new WeightedTable<PartyStatus>(['IN_SERVICE', 'RETIRED', 'MOBILE'], [55, 35, 10]);
    const perCommunity = apportion(this.profile.people, this.communities.map((c) => c.population));
    for (const [index, community] of this.communities.entries()) {
      community.gridTable = new WeightedTable(community.grids, (g) => g.population);
      for (let k = 0; k < perCommunity[index]; k++) {
        const status = r.chance(0.85) ? statusTable.draw(r) : null;
        const birthYear = Math.round(
          status === 'RETIRED' ? r.normal(1955, 6, 1936, 1965)
          : status === 'IN_SERVICE' ? r.normal(1981, 9, 1966, 2000)
          : r.normal(1986, 9, 1966, 2002),
        );
        const female = r.chance(status === null ? 0.55 : status === 'RETIRED' ? 0.38 : 0.34);
        const birthDate = this.date(`${birthYear}-01-01`, `${birthYear}-12-31`);
        let idNumber = residentIdNumber(r, regionTable.draw(r)[0], birthDate, female);
        while (this.idNumbers.has(idNumber)) idNumber = residentIdNumber(r, regionTable.draw(r)[0], birthDate, female);
        this.idNumbers.add(idNumber);
        let phone = mobilePhone(r);
        while (this.phones.has(phone)) phone = mobilePhone(r);
        this.phones.add(phone);

        let joined: string | null = null;
        if (status) {
          const year = Math.min(2024, birthYear + r.int(19, status === 'RETIRED' ? 45 : 38));
          joined = this.date(`${year}-01-01`, `${year}-12-31`);
        }
        // 双报到 is for people in work (assertMayReport): in-service members and non-party staff
        // report; retired and mobile members belong to their community's organisations already.
        // A mobile member still takes the draws the seed once made to report them, so every later
        // draw, and with it the rest of the demo city (the README's people and posts), stays as it was.
        let reported: string | null = null;
        if (status === 'MOBILE' && r.chance(0.85)) this.date('2018-06-01', '2025-06-30');
        if (status === null || (status === 'IN_SERVICE' && r.chance(0.95))) {
          reported = this.date('2018-06-01', '2025-06-30');
          if (joined && reported < joined) reported = joined;
        }
        const person: PersonPlan = {
          id: this.people.length + 1, status, birthYear, community, organizationId: null, employer: null,
          row: {
            id: this.people.length + 1, ...this.timestamps(), name: personName(r, female, birthYear), gender: female ? 'FEMALE' : 'MALE',
            birth_year: birthYear, phone, id_number: idNumber, party_status: status, joined_party_on: joined, reported_on: reported,
            employer_unit_id: null, residence_community_id: community.id, organization_id: null,
          },
        };
        if (status) this.placeInOrganization(person);
        this.people.push(person);
        community.residents.push(person);
        this.rows.person.push(person.row);
      }
    }
    this.fillEmptyOrganizations();
  }

  /** A grid branch or building group where the member lives, or a functional branch. */
  private placeInOrganization(person: PersonPlan): void {
    const r = this.random;
    const community = person.community;
    const street = community.street;
    let orgId: number | undefined;
    if (person.status === 'MOBILE') {
      if (street.functional.newEmployment && person.birthYear >= 1980 && r.chance(0.3)) orgId = street.functional.newEmployment;
      else if (street.functional.mobile && r.chance(0.7)) orgId = street.functional.mobile;
    } else if (person.status === 'RETIRED') {
      if (community.functional.retired && r.chance(0.45)) orgId = community.functional.retired;
    } else if (community.functional.inService && r.chance(0.2)) {
      orgId = community.functional.inService;
    } else if (community.functional.volunteer && r.chance(0.1)) {
      orgId = community.functional.volunteer;
    }
    if (orgId === undefined) {
      const grid = community.gridTable!.draw(r);
      orgId = grid.groupIds.length > 0 && r.chance(0.35) ? r.pick(grid.groupIds) : grid.branchId;
    }
    this.setOrganization(person, orgId);
  }

  private setOrganization(person: PersonPlan, orgId: number): void {
    if (person.organizationId !== null) {
      const old = this.org(person.organizationId);
      old.members.splice(old.members.indexOf(person), 1);
    }
    person.organizationId = orgId;
    person.row.organization_id = orgId;
    this.org(orgId).members.push(person);
  }

  /** Every group and functional branch gets at least one member, moved from a branch nearby. */
  private fillEmptyOrganizations(): void {
    const r = this.random;
    for (const grid of this.grids) {
      for (const groupId of grid.groupIds) {
        if (this.org(groupId).members.length > 0) continue;
        // Donors, nearest first: the grid's branch, the grid's other groups, the community's other grid branches.
        const donors = [grid.branchId, ...grid.groupIds, ...grid.community.grids.map((g) => g.branchId)].map((id) => this.org(id));
        const donor = donors.find((o) => o.members.length >= 2);
        if (donor) this.setOrganization(r.pick(donor.members), groupId);
      }
    }
    const movable = (people: PersonPlan[], status: PartyStatus | null): PersonPlan[] =>
      people.filter((p) => p.status !== null && (status === null || p.status === status) && this.org(p.organizationId!).row.kind === 'BRANCH' && !this.org(p.organizationId!).row.functional);
    const fill = (orgId: number | undefined, people: PersonPlan[], status: PartyStatus | null): void => {
      if (orgId === undefined || this.org(orgId).members.length > 0) return;
      const candidates = movable(people, status).length > 0 ? movable(people, status) : movable(people, null);
      if (candidates.length > 0) this.setOrganization(r.pick(candidates), orgId);
    };
    for (const street of this.streets) {
      const residents = street.communities.flatMap((c) => c.residents);
      fill(street.functional.mobile, residents, 'MOBILE');
      fill(street.functional.newEmployment, residents, 'MOBILE');
    }
    for (const community of this.communities) {
      fill(community.functional.retired, community.residents, 'RETIRED');
      fill(community.functional.volunteer, community.residents, 'IN_SERVICE');
      fill(community.functional.inService, community.residents, 'IN_SERVICE');
    }
  }

  /** In-service members and staff work somewhere; first one in-service member per unit, then by unit size. */
  private assignEmployers(): void {
    const r = this.random;
    const employers = this.units.filter((u) => u.employeeWeight > 0);
    const inService = r.shuffle(this.people.filter((p) => p.status === 'IN_SERVICE'));
    const staff = this.people.filter((p) => p.status === null);
    const table = new WeightedTable(employers, (u) => u.employeeWeight);
    const assign = (person: PersonPlan, unit: UnitPlan): void => {
      person.employer = unit;
      person.row.employer_unit_id = unit.id;
      unit.employees.push(person);
    };
    inService.forEach((person, i) => assign(person, i < employers.length ? employers[i] : table.draw(r)));
    for (const person of staff) assign(person, table.draw(r));
  }

  /**
   * Secretaries come from the organisation's own members, else from party members living there.
   * Small organisations choose first, so a one-member building group always gets its member.
   */
  private planSecretaries(): Array<[number, number]> {
    const r = this.random;
    const taken = new Set<number>();
    const choose = (candidates: PersonPlan[]): PersonPlan | undefined => {
      const free = candidates.filter((p) => p.status !== null && !taken.has(p.id));
      const prime = free.filter((p) => p.birthYear >= 1955 && p.birthYear <= 1992);
      const chosen = prime.length > 0 ? r.pick(prime) : free.length > 0 ? r.pick(free) : undefined;
      if (chosen) taken.add(chosen.id);
      return chosen;
    };
    const set = (orgId: number, person: PersonPlan | undefined): void => {
      if (person) this.org(orgId).secretaryId = person.id;
    };
    const placeBound = (o: OrgPlan): boolean => o.row.kind !== 'COMMITTEE' && !gridOfBranch.has(o.id);
    const gridOfBranch = new Map(this.grids.map((g) => [g.branchId, g]));
    for (const org of this.orgs.filter(placeBound)) set(org.id, choose(org.members));
    for (const [branchId, grid] of gridOfBranch) set(branchId, choose(this.org(branchId).members) ?? choose(grid.community.residents));
    for (const community of this.communities) {
      set(community.committeeId, choose(community.residents.filter((p) => p.status === 'IN_SERVICE' || p.status === 'RETIRED')) ?? choose(community.residents));
    }
    for (const street of this.streets) {
      const residents = street.communities.flatMap((c) => c.residents);
      set(street.committeeId, choose(residents.filter((p) => p.status === 'IN_SERVICE' && p.birthYear >= 1966 && p.birthYear <= 1985)) ?? choose(residents));
    }
    return this.orgs.filter((o) => o.secretaryId !== null).map((o) => [o.id, o.secretaryId!]);
  }

  // -- pairings and alliances ------------------------------------------------

  private planPairings(): void {
    const r = this.random;
    const eligible = this.units.filter((u) => !['POLICE_STATION', 'PROPERTY_COMPANY', 'OWNERS_COMMITTEE'].includes(u.kind) && !/办事处$/.test(u.name));
    const timesPaired = new Map<number, number>();
    const baseWeight = (u: UnitPlan): number =>
      u.districtAgency ? 6 : u.street === null ? 2.5 : u.kind === 'ENTERPRISE' ? 1.5 : u.kind === 'SOCIAL_ORGANIZATION' ? 0.5 : 1;
    const dutiesOrder = new Map<string, number>(AGREEMENT_DUTIES.map((d, i) => [d, i]));
    for (const community of this.communities) {
      const chosen: UnitPlan[] = [];
      const wanted = r.int(3, 5);
      while (chosen.length < wanted) {
        const pool = eligible.filter((u) => !chosen.includes(u));
        chosen.push(r.weightedPick(pool, (u) => baseWeight(u) / (1 + 2 * (timesPaired.get(u.id) ?? 0))));
      }
      this.pairedUnits.set(community.id, chosen);
      for (const unit of chosen) {
        timesPaired.set(unit.id, (timesPaired.get(unit.id) ?? 0) + 1);
        const years = r.int(1, 3);
        const startsOn = this.date('2023-01-01', '2025-09-30').slice(0, 8) + '01';
        // Some pairings renew an earlier, finished term (same unit and community, earlier start).
        if (r.chance(0.12)) {
          const previousYears = r.int(1, 3);
          this.addPairing(unit, community, addYears(startsOn, -previousYears), previousYears, dutiesOrder);
        }
        this.addPairing(unit, community, startsOn, r.chance(0.08) ? null : years, dutiesOrder);
      }
    }
  }

  private addPairing(unit: UnitPlan, community: CommunityPlan, startsOn: string, years: number | null, dutiesOrder: Map<string, number>): void {
    const r = this.random;
    const duties = r.sample(AGREEMENT_DUTIES, r.int(4, 10)).sort((a, b) => dutiesOrder.get(a)! - dutiesOrder.get(b)!);
    this.rows.pairing.push({
      id: this.rows.pairing.length + 1, ...this.timestamps(), unit_id: unit.id, community_id: community.id, starts_on: startsOn,
      ends_on: years === null ? null : isoDate(dayNumber(addYears(startsOn, years)) - 1),
      agreement_title: agreementTitle(unit.name, community.name), agreement_signed_on: isoDate(dayNumber(startsOn) - r.int(0, 20)),
      duties: JSON.stringify(duties),
    });
  }

  private addAlliance(areaId: number, areaName: string, model: AllianceModel, leadOrganizationId: number, description: string): number {
    const id = this.rows.alliance.length + 1;
    this.rows.alliance.push({
      id, ...this.timestamps(), name: allianceName(areaName, model), model, area_id: areaId, lead_organization_id: leadOrganizationId,
      established_on: this.date('2019-03-01', '2023-12-31'), description,
    });
    this.alliancesByArea.set(areaId, { id, members: new Map() });
    return id;
  }

  private addAllianceMember(areaId: number, unitId: number, role: AllianceRole): void {
    const alliance = this.alliancesByArea.get(areaId)!;
    if (alliance.members.has(unitId)) return;
    const established = String(this.rows.alliance[alliance.id - 1].established_on);
    const row: Row = {
      id: this.rows.alliance_member.length + 1, ...this.timestamps(), alliance_id: alliance.id, unit_id: unitId, role,
      seat_title: null, seat_holder_id: null, joined_on: this.date(established, '2025-06-30'),
    };
    alliance.members.set(unitId, row);
    this.rows.alliance_member.push(row);
  }

  private planAlliances(): void {
    const r = this.random;
    const districtAgencies = this.units.filter((u) => u.districtAgency);
    const outside = this.units.filter((u) => u.street === null);
    const nKinds: UnitKind[] = ['ENTERPRISE', 'SCHOOL', 'HOSPITAL', 'SOCIAL_ORGANIZATION', 'AGENCY'];
    for (const community of this.communities) {
      const model: AllianceModel = r.chance(0.75) ? 'ONE_THREE_N' : 'ONE_N_X';
      const description = model === 'ONE_THREE_N'
        ? `以${community.name}党委为核心，联合辖区派出所、业主委员会、物业服务企业和驻区单位，共商共建共治共享。`
        : `${community.name}党委牵头，联合辖区内单位和区外结对单位、下沉干部，整合资源服务群众。`;
      this.addAlliance(community.id, community.name, model, community.committeeId, description);
      const core = r.chance(0.6) || districtAgencies.length === 0 ? community.street.officeUnitId : r.pick(districtAgencies).id;
      this.addAllianceMember(community.id, core, 'CORE');
      this.addAllianceMember(community.id, community.policeUnitId, 'POLICE');
      for (const id of community.ownersUnitIds) this.addAllianceMember(community.id, id, 'OWNERS_COMMITTEE');
      for (const id of community.propertyUnitIds) this.addAllianceMember(community.id, id, 'PROPERTY');
      for (const unit of this.pairedUnits.get(community.id) ?? []) {
        this.addAllianceMember(community.id, unit.id, unit.street === community.street ? 'IN_AREA' : 'OUT_OF_AREA');
      }
      const local = this.units.filter((u) => u.street === community.street && nKinds.includes(u.kind) && !u.districtAgency && u.id !== core);
      const near = local.filter((u) => u.community === community || u.community === null);
      const inArea = r.sample(near.length >= 3 ? near : local, model === 'ONE_THREE_N' ? r.int(2, 5) : r.int(3, 6));
      for (const unit of inArea) this.addAllianceMember(community.id, unit.id, 'IN_AREA');
      const outCount = model === 'ONE_N_X' ? r.int(1, 3) : r.chance(0.4) ? 1 : 0;
      for (const unit of r.sample(outside, outCount)) this.addAllianceMember(community.id, unit.id, 'OUT_OF_AREA');
    }

    // One street runs a big party committee (大党委) over all its resident units.
    const street = r.pick(this.streets);
    this.addAlliance(street.id, street.name, 'BIG_PARTY_COMMITTEE', street.committeeId,
      `${street.name}党工委牵头，吸纳辖区机关、企事业单位和社会组织负责人担任兼职委员，统筹区域党建资源。`);
    this.addAllianceMember(street.id, street.officeUnitId, 'CORE');
    for (const id of street.policeUnitIds) this.addAllianceMember(street.id, id, 'POLICE');
    const streetUnits = this.units.filter((u) => u.street === street);
    for (const unit of r.sample(streetUnits.filter((u) => u.kind === 'PROPERTY_COMPANY'), 3)) this.addAllianceMember(street.id, unit.id, 'PROPERTY');
    const members = streetUnits.filter((u) => nKinds.includes(u.kind) && u.id !== street.officeUnitId);
    for (const unit of r.sample(members, Math.min(members.length, 12 + r.int(0, 8)))) this.addAllianceMember(street.id, unit.id, 'IN_AREA');
    for (const unit of r.sample(outside, r.int(3, 5))) this.addAllianceMember(street.id, unit.id, 'OUT_OF_AREA');
  }

  /**
   * 兼职委员: 2-4 people from the community's alliance units on each community committee (more
   * on the big party committee), each also recorded as the seat holder of their unit's alliance seat.
   */
  private planPartTimeMembers(): void {
    const r = this.random;
    const seat = (areaId: number, orgId: number, wanted: number): void => {
      const alliance = this.alliancesByArea.get(areaId);
      if (!alliance) return;
      const seated = new Set<number>();
      const candidates = r.shuffle([...alliance.members.values()].filter((m) => m.role !== 'OWNERS_COMMITTEE'));
      // The police and property seats come first: they are the usual part-time members.
      candidates.sort((a, b) => Number(b.role === 'POLICE' || b.role === 'PROPERTY') - Number(a.role === 'POLICE' || a.role === 'PROPERTY'));
      let deputy = r.chance(0.4);
      for (const member of candidates) {
        if (seated.size >= wanted) break;
        const unit = this.units[Number(member.unit_id) - 1];
        const people = unit.employees.filter((p) => p.status === 'IN_SERVICE' && !seated.has(p.id));
        if (people.length === 0) continue;
        const person = r.pick(people);
        seated.add(person.id);
        const title = deputy ? PART_TIME_TITLES.deputySecretary : PART_TIME_TITLES.member;
        deputy = false;
        const startsOn = this.date('2021-01-01', '2024-12-31');
        this.rows.part_time_member.push({
          id: this.rows.part_time_member.length + 1, ...this.timestamps(), organization_id: orgId, person_id: person.id, unit_id: unit.id,
          title, starts_on: startsOn, ends_on: r.chance(0.3) ? null : isoDate(dayNumber(addYears(startsOn, 5)) - 1),
        });
        member.seat_title = title;
        member.seat_holder_id = person.id;
      }
    };
    for (const community of this.communities) seat(community.id, community.committeeId, r.int(2, 4));
    for (const street of this.streets) seat(street.id, street.committeeId, r.int(6, 10));
  }

  // -- grid workers -----------------------------------------------------------

  /** 1-3 workers per grid (专职网格员, 网格长, 兼职网格员); now and then a full-timer covers two neighbouring grids. */
  private planGridAssignments(): void {
    const r = this.random;
    for (const community of this.communities) {
      const working = community.residents.filter((p) => p.birthYear >= 1966 && p.status !== 'RETIRED');
      const volunteers = community.residents.filter((p) => p.status === 'RETIRED' || p.status === 'IN_SERVICE');
      // Branch secretaries only lead their own grid; everyone else is picked at most once, except
      // for the deliberate full-timers who cover two neighbouring grids.
      const used = new Set<number>(community.grids.map((g) => this.org(g.branchId).secretaryId ?? 0));
      const fresh = (pool: PersonPlan[]): PersonPlan | undefined => {
        const free = pool.filter((p) => !used.has(p.id));
        const chosen = free.length > 0 ? r.pick(free) : undefined;
        if (chosen) used.add(chosen.id);
        return chosen;
      };
      let previousFullTime: { person: PersonPlan; shared: boolean } | null = null;
      for (const grid of community.grids) {
        const inGrid = new Set<number>();
        const add = (person: PersonPlan | undefined, role: string): void => {
          if (!person || inGrid.has(person.id)) return;
          inGrid.add(person.id);
          this.rows.grid_assignment.push({
            id: this.rows.grid_assignment.length + 1, ...this.timestamps(), grid_id: grid.id, person_id: person.id, role,
            starts_on: this.date('2019-01-01', '2025-06-30'),
          });
        };
        let fullTime: PersonPlan | undefined;
        if (previousFullTime && !previousFullTime.shared && r.chance(0.05)) {
          fullTime = previousFullTime.person;
          previousFullTime.shared = true;
        } else {
          fullTime = fresh(working) ?? fresh(community.residents);
          if (fullTime) previousFullTime = { person: fullTime, shared: false };
        }
        add(fullTime, 'FULL_TIME');
        const slots = r.weightedPick([1, 2, 3], [30, 45, 25]);
        const roles = r.chance(0.7) ? ['GRID_LEADER', 'PART_TIME'] : ['PART_TIME', 'GRID_LEADER'];
        for (const role of roles.slice(0, slots - 1)) {
          if (role === 'GRID_LEADER') {
            const secretaryId = this.org(grid.branchId).secretaryId;
            const secretary = secretaryId !== null ? this.people[secretaryId - 1] : undefined;
            if (secretary && !inGrid.has(secretary.id)) {
              used.add(secretary.id);
              add(secretary, role);
            } else {
              add(fresh(volunteers), role);
            }
          } else {
            add(fresh(volunteers) ?? fresh(community.residents), role);
          }
        }
      }
    }
  }

  /**
   * 双报到 places everyone who reports, non-party staff too, in a grid branch or building group of
   * the community they live in (reportMember's placement rule; the API refuses a reported person
   * placed nowhere). Members were placed with the party tree; staff are placed here, last and with
   * a random stream of their own, so nothing planned before changes.
   */
  private placeReportedStaff(): void {
    const r = new Random(this.seed ^ 0x57af_f1ac);
    for (const community of this.communities) {
      for (const person of community.residents) {
        if (person.status !== null || person.row.reported_on === null) continue;
        const grid = community.gridTable!.draw(r);
        this.setOrganization(person, grid.groupIds.length > 0 && r.chance(0.35) ? r.pick(grid.groupIds) : grid.branchId);
      }
    }
  }

  // -- service posts ------------------------------------------------------------

  /**
   * 双报到: every reported member holds at least one service post of the community they reported
   * to (reportMember claims the first in the same step; endPostClaim refuses to end the last).
   * Each community offers the common posts and a few more, sized for its reported members with
   * places to spare. Every member claims one on the day they reported; some took a second later,
   * and a few of those have since ended. Planned last: the draws here change nothing planned before.
   */
  private planServicePosts(): void {
    const r = this.random;
    for (const community of this.communities) {
      const reported = community.residents.filter((p) => p.row.reported_on !== null);
      const offered = [...SERVICE_POSTS.slice(0, 3), ...r.sample(SERVICE_POSTS.slice(3), r.int(3, 5))];
      const firstHolders = apportion(reported.length, offered.map((spec) => spec.weight));
      const posts = offered.map((spec, i) => {
        const capacity = firstHolders[i] + r.int(2, 6);
        if (capacity > MAX_POST_CAPACITY) throw new Error(`seedDemoCity: ${community.name} has too many reported members for its ${spec.title} posts`);
        const id = this.rows.service_post.length + 1;
        this.rows.service_post.push({
          id, ...this.timestamps(), community_id: community.id, title: spec.title, description: spec.description, category_id: null, capacity,
        });
        if (spec.category) this.postCategories.push([id, spec.category]);
        return { id, capacity, taken: 0 };
      });
      const claim = (person: PersonPlan, post: { id: number; taken: number }, claimedOn: string, status: 'ACTIVE' | 'ENDED'): void => {
        this.rows.post_claim.push({
          id: this.rows.post_claim.length + 1, ...this.timestamps(), post_id: post.id, person_id: person.id, status, claimed_on: claimedOn,
          // Held a season (no draw: the draws after this one stay as they were).
          ended_on: status === 'ENDED' ? addDays(claimedOn, 120) : null,
        });
        if (status === 'ACTIVE') post.taken++;
      };
      // First posts: the shuffled members in runs, one run per post, claimed in person order.
      const firstPost = new Map<PersonPlan, (typeof posts)[number]>();
      let next = 0;
      const shuffled = r.shuffle([...reported]);
      firstHolders.forEach((count, i) => {
        for (let k = 0; k < count; k++) firstPost.set(shuffled[next++], posts[i]);
      });
      for (const person of reported) claim(person, firstPost.get(person)!, String(person.row.reported_on), 'ACTIVE');
      for (const person of reported) {
        if (!r.chance(0.15)) continue;
        const open = posts.filter((post) => post !== firstPost.get(person) && post.taken < post.capacity);
        if (open.length === 0) continue;
        claim(person, r.pick(open), this.date(String(person.row.reported_on), '2025-06-30'), r.chance(0.25) ? 'ENDED' : 'ACTIVE');
      }
    }
  }
}
