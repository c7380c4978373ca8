// identify(): who sent a request, from its bearer access token (staff) or X-Api-Key (portal),
// each read with its scope in one round trip. Apart from sessions.ts because it runs on every
// request, outside any transaction, and writes nothing but an API key's last use.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { jwtVerify } from 'jose';
import { unauthenticated } from '../../common/errors';
import { todayInChina } from '../../common/dates';
import { ANONYMOUS, type Viewer } from '../../context/context';
import { AreaLevel } from '../area/area.entity';
import { sha256 } from './credentials';
import { Role } from './identity.entity';
import { ISSUER, type TokenSettings } from './sessions';

/**
 * The communities a unit serves on a day (its liaison's scope): those it is paired with that day,
 * and those in whose alliance it holds a seat. Not those it registered with (单位报到), nor its own
 * registered area. A SQL select of one column, community_id, over the SQL expressions `unit` (the
 * unit's id) and `day` (a date).
 */
function servedCommunitiesSql(unit: string, day: string): string {
  return `select p.community_id from pairing p
       where p.unit_id = ${unit} and p.starts_on <= ${day} and (p.ends_on is null or p.ends_on >= ${day})
      -- Alliance seats count only in a community's alliance: a seat on a street's big party
      -- committee is not a licence to read every resident of the street.
      union select al.area_id from alliance_member m join alliance al on al.id = m.alliance_id join area c on c.id = al.area_id
       where m.unit_id = ${unit} and c.level = '${AreaLevel.COMMUNITY}' and (m.joined_on is null or m.joined_on <= ${day})`;
}

/** The ids of the communities `unitId` serves on `day` (servedCommunitiesSql), read with the caller's `em`. */
export async function communitiesServedBy(em: EntityManager, unitId: number, day: string): Promise<number[]> {
  const rows: { community_id: number }[] = await em.execute(
    `with i as (select ?::int as unit_id, ?::date as day) select s.community_id from i, lateral (${servedCommunitiesSql('i.unit_id', 'i.day')}) s`,
    [unitId, day],
  );
  return rows.map((row) => Number(row.community_id));
}

/**
 * The ids of the units that serve `communityId` on `day` (servedCommunitiesSql, the rule
 * assertUnitServes holds claims to), all in one statement: for 资源对接, which offers them and says
 * which of its candidates can claim.
 */
export async function unitsServing(em: EntityManager, communityId: number, day: string): Promise<Set<number>> {
  const rows: { unit_id: number }[] = await em.execute(
    `with i as (select ?::int as community_id, ?::date as day)
     select u.id as unit_id from i, unit u where i.community_id in (${servedCommunitiesSql('u.id', 'i.day')})`,
    [communityId, day],
  );
  return new Set(rows.map((row) => Number(row.unit_id)));
}

/**
 * The area subtrees an account works in: its scope area; for a unit liaison, the communities its
 * unit serves (paired with today, or seated in their alliance); for a party member without a
 * scope area, their residence community while they are a party member (an account is for a
 * member: one who left the party, recorded by updatePerson, reads nothing scoped until re-admitted).
 * Null (everything) only for an unbound admin or analyst.
 * A liaison's scope is never the unit's own registered area: a district agency registered on the
 * district would otherwise read every resident of the district.
 *
 * A SQL expression (text[] or null) over the account row `a` and the date `i.today`, so that
 * identify() reads it in the same statement as the account.
 */
const SCOPE_PATHS_SQL = `case
    when a.scope_area_id is not null then array(select s.path from area s where s.id = a.scope_area_id)::text[]
    when a.role = '${Role.UNIT_LIAISON}' and a.unit_id is not null then array(
      select c.path from area c where c.id in (${servedCommunitiesSql('a.unit_id', 'i.today')}))::text[]
    when a.role = '${Role.PARTY_MEMBER}' and a.person_id is not null then array(
      select c.path from person p join area c on c.id = p.residence_community_id where p.id = a.person_id and p.party_status is not null)::text[]
    when a.role in ('${Role.DISTRICT_ADMIN}', '${Role.ANALYST}') then null
    else '{}'::text[]
  end`;

/**
 * What identify() needs of a bearer token's account, in one round trip: the account, whether the
 * token's family still has an unrevoked token (a null family, from before families, counts as
 * live), and the account's scope. No row: the account does not exist.
 */
const BEARER_ACCOUNT_SQL = `with i as (select ?::int as account_id, ?::text as family, ?::date as today)
  select a.id, a.username, a.role, a.active, a.session_version, a.unit_id, a.person_id,
    (i.family is null or exists (select 1 from refresh_token t where t.family = i.family and t.revoked_at is null)) as family_live,
    ${SCOPE_PATHS_SQL} as scope_paths
  from i join account a on a.id = i.account_id`;

interface BearerAccountRow {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  session_version: number;
  unit_id: number | null;
  person_id: number | null;
  family_live: boolean;
  scope_paths: string[] | null;
}

/**
 * ApiKey.lastUsedAt is written at most this often: a portal sends many requests a minute, and
 * writing the row on each of them made every request of a key queue on its row lock (and a WAL record).
 */
export const API_KEY_LAST_USED_SECONDS = 60;

/**
 * An API key that is valid now (its hash matches, not revoked, not expired), with its area's path,
 * in one round trip; no row: refused. The update writes its last use when that is older than
 * API_KEY_LAST_USED_SECONDS; PostgreSQL runs a data-modifying WITH once whether or not the select
 * reads it. The age is checked on the updated row itself, so that of two requests racing past the
 * minute, the second (re-reading the row once the first commits) writes nothing.
 */
const API_KEY_SQL = `with i as (select ?::text as prefix, ?::text as secret_hash, ?::timestamptz as now),
  k as (
    select ak.id, ak.prefix, ak.scope_area_id from api_key ak, i
     where ak.prefix = i.prefix and ak.secret_hash = i.secret_hash and ak.revoked_at is null and (ak.expires_at is null or ak.expires_at > i.now)
  ),
  used as (
    update api_key a set last_used_at = ?
     where a.id = (select k.id from k) and a.revoked_at is null and (a.last_used_at is null or a.last_used_at <= (select i.now from i) - make_interval(secs => ?))
  )
  select k.id, k.prefix, (select s.path from area s where s.id = k.scope_area_id) as scope_path from k`;

interface ApiKeyRow {
  id: number;
  prefix: string;
  scope_path: string | null;
}

/**
 * Who sent this request: a bearer access token (staff) or an X-Api-Key (portal); none is
 * anonymous. A credential that is present but invalid, expired or revoked is refused (401)
 * rather than silently treated as anonymous.
 */
export async function identify(orm: MikroORM, tokens: TokenSettings, headers: { authorization?: string; apiKey?: string }, now = new Date()): Promise<Viewer> {
  const em = orm.em.fork();
  if (headers.authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(headers.authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>"');
    let accountId: number;
    let sessionVersion: number;
    let family: string | null;
    try {
      const { payload } = await jwtVerify(match[1], tokens.secret, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], currentDate: now });
      accountId = Number(payload.sub);
      // Tokens from before session versions carry none: version 0, the column's default.
      sessionVersion = typeof payload.sv === 'number' ? payload.sv : 0;
      family = typeof payload.fam === 'string' ? payload.fam : null;
    } catch {
      throw unauthenticated('The access token is invalid or expired: refresh the session or sign in again');
    }
    const [account]: (BearerAccountRow | undefined)[] = await em.execute(BEARER_ACCOUNT_SQL, [accountId, family, todayInChina(now)]);
    if (!account?.active) throw unauthenticated('This account is no longer active');
    if (sessionVersion !== account.session_version) {
      throw unauthenticated('This session was ended (the password was changed or reset, or the account deactivated): sign in again');
    }
    // A family with no unrevoked token left was signed out or caught replayed: its access tokens end with it.
    if (!account.family_live) throw unauthenticated('This session was signed out: sign in again');
    return {
      kind: 'account',
      accountId: account.id,
      username: account.username,
      role: account.role,
      scopePaths: account.scope_paths,
      unitId: account.unit_id,
      personId: account.person_id,
      sessionVersion,
    };
  }
  if (headers.apiKey) {
    const prefix = headers.apiKey.split('_').slice(0, 2).join('_');
    const [key]: (ApiKeyRow | undefined)[] = await em.execute(API_KEY_SQL, [prefix, sha256(headers.apiKey), now, now, API_KEY_LAST_USED_SECONDS]);
    if (!key) throw unauthenticated('The API key is invalid, revoked or expired');
    return { kind: 'portal', apiKeyId: key.id, prefix: key.prefix, role: Role.PORTAL, scopePaths: key.scope_path === null ? null : [key.scope_path] };
  }
  return ANONYMOUS;
}
