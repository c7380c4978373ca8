import { LockMode, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/postgresql';
import { containsPattern } from '../../common/filters';
import { OrderDirection, paginate, type ConnectionArgs, type ConnectionResult } from '../../common/pagination';
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { AppConfig } from '../../config/env';
import { AppError, ErrorCode, badInput, conflict, forbidden, notFound, unauthenticated } from '../../common/errors';
import { loadByGlobalId, loadOptional, lockById } from '../../common/lookup';
import { expectGlobalId, toGlobalId } from '../../common/global-id';
import { inTransaction, inTransactionKeepingRefusal, sameConflictWhenRaced } from '../../common/transaction';
import { todayInChina } from '../../common/dates';
import { ANONYMOUS, SYSTEM_VIEWER, type AppContext, type Viewer } from '../../context/context';
import { AREA_TYPE_NAME, AreaLevel } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { DUMMY_HASH, hashPassword, newApiKey, randomSecret, sha256, verifyPassword } from './credentials';
import { Account, ApiKey, RefreshToken, Role, SignInDevice } from './identity.entity';
import { ACCOUNT_BINDINGS, administersAccounts } from './access.policy';

export interface TokenSettings {
  secret: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlDays: number;
}

/** Signing settings from configuration; without JWT_SECRET (development only) a random secret per process. */
export function tokenSettings(config: Pick<AppConfig, 'JWT_SECRET' | 'ACCESS_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_TTL_DAYS'>): TokenSettings {
  return {
    secret: new TextEncoder().encode(config.JWT_SECRET ?? randomBytes(32).toString('hex')),
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
  };
}

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  account: Account;
  /** A new device token (see SignInDevice): from a sign-in or a password change only. */
  deviceToken?: string | null;
}

/** What an administrator, or the account itself, sees of a device token (Account.signInDevices): never the token or its hash. */
export interface SignInDeviceView {
  /** The row's global id (SIGN_IN_DEVICE_TYPE): what forgetSignInDevice takes. It stays when the token is replaced at a sign-in. */
  id: string;
  rememberedAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  failedSignIns: number;
  signInPausedUntil: Date | null;
}

const ISSUER = 'gongjian';

/** The GraphQL type, and global-id prefix, of a remembered device (the entity is no GraphQL type of its own). */
export const SIGN_IN_DEVICE_TYPE = 'SignInDevice';

/**
 * Deletes the account's refresh tokens past their expiry, so the table holds about one lifetime of
 * rows per account rather than every token ever issued. refresh() refuses an expired token before
 * anything else (it does not revoke for one, even spent), and no access token outlives the token
 * issued with it (ACCESS_TOKEN_TTL_SECONDS is at most a day, REFRESH_TOKEN_TTL_DAYS at least one),
 * so identify() never needs an expired row. The one thing lost: signOut() with an expired token
 * no longer finds its family. Spent and revoked rows within their lifetime stay: a spent one
 * replayed must still revoke its family. The caller holds the account row locked.
 */
async function pruneExpiredTokens(em: EntityManager, accountId: number, now: Date): Promise<void> {
  await em.nativeDelete(RefreshToken, { account: accountId, expiresAt: { $lte: now } });
}

/**
 * A new sign-in starts a family of refresh tokens; a refresh continues its token's family. Every
 * caller holds the account row locked, so this is where the account's expired tokens go.
 */
async function issueSession(em: EntityManager, account: Account, tokens: TokenSettings, now: Date, family = randomBytes(16).toString('hex')): Promise<Session> {
  await pruneExpiredTokens(em, account.id, now);
  const expiresAt = new Date(now.getTime() + tokens.accessTtlSeconds * 1000);
  // sv: the account's session version; fam: the refresh-token family. Either moving on (a password
  // change; a sign-out or a detected replay) ends the access token at once (identify).
  const accessToken = await new SignJWT({ role: account.role, username: account.username, sv: account.sessionVersion, fam: family })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(String(account.id))
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(tokens.secret);
  const refreshToken = randomSecret();
  em.create(RefreshToken, { account, family, tokenHash: sha256(refreshToken), expiresAt: new Date(now.getTime() + tokens.refreshTtlDays * 86400_000) });
  await em.flush();
  return { accessToken, accessTokenExpiresAt: expiresAt, refreshToken, account };
}

/**
 * The area subtrees an account works in: its scope area; for a unit liaison, the communities its
 * unit serves (paired with today, or seated in their alliance); for a party member without a
 * scope area, their residence community. Null (everything) only for an unbound admin or analyst.
 * A liaison's scope is never the unit's own registered area: a district agency registered on the
 * district would otherwise read every resident of the district.
 *
 * A SQL expression (text[] or null) over the account row `a` and the date `i.today`, so that
 * identify() reads it in the same statement as the account.
 */
const SCOPE_PATHS_SQL = `case
    when a.scope_area_id is not null then array(select s.path from area s where s.id = a.scope_area_id)::text[]
    when a.role = '${Role.UNIT_LIAISON}' and a.unit_id is not null then array(
      select c.path from pairing p join area c on c.id = p.community_id
       where p.unit_id = a.unit_id and p.starts_on <= i.today and (p.ends_on is null or p.ends_on >= i.today)
      -- Alliance seats count only in a community's alliance: a seat on a street's big party
      -- committee is not a licence to read every resident of the street.
      union select c.path from alliance_member m join alliance al on al.id = m.alliance_id join area c on c.id = al.area_id
       where m.unit_id = a.unit_id and c.level = '${AreaLevel.COMMUNITY}' and (m.joined_on is null or m.joined_on <= i.today))::text[]
    when a.role = '${Role.PARTY_MEMBER}' and a.person_id is not null then array(
      select c.path from person p join area c on c.id = p.residence_community_id where p.id = a.person_id)::text[]
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

/**
 * Wrong passwords in a row after which an account's sign-ins are refused for a while, whatever
 * the password: the per-address rate limit alone would let one address try 600 passwords a
 * minute, and many addresses more. A right password resets the count. A locked sign-in gets the
 * wrong-password answer; a signed-in caller checking their own password (changePassword) is told.
 */
export const SIGN_IN_LOCKOUT = { failures: 5, minutes: 15 };

/**
 * A spent refresh token presented again within this many seconds of its exchange is refused
 * but does not revoke its family: two tabs of one client refreshing at the same moment race
 * with the same token, and the loser must not sign the winner out. Later, it is a replay.
 */
const REFRESH_RACE_SECONDS = 10;

function lockedOut(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new AppError(ErrorCode.RATE_LIMITED, `Too many wrong passwords for this account: sign-in is locked for ${Math.ceil(retryAfterSeconds / 60)} more minute(s)`, {
    retryAfterSeconds,
  });
}

/** One answer for an unknown name, a wrong password and a locked account (which one is not said). */
export const WRONG_PASSWORD_MESSAGE = `Wrong username or password (after ${SIGN_IN_LOCKOUT.failures} wrong passwords in a row, an account's sign-in pauses for ${SIGN_IN_LOCKOUT.minutes} minutes)`;
const wrongPassword = () => unauthenticated(WRONG_PASSWORD_MESSAGE);

/** The rule for every new password (createAccount, changePassword, resetAccountPassword). */
function checkNewPassword(field: string, password: string): void {
  if (password.length < 12) throw badInput(field, 'must be at least 12 characters');
}

/** What the lockout counts: an account (any client), or one device token of it (SignInDevice). */
type SignInCounter = Pick<Account, 'failedSignIns' | 'signInLockedUntil'>;

const isLocked = (counter: SignInCounter, now: Date) => Boolean(counter.signInLockedUntil && counter.signInLockedUntil > now);

/** A wrong password counts towards the lockout; the caller flushes, in the transaction that read the account locked. */
function countWrongPassword(counter: SignInCounter, now: Date): void {
  counter.failedSignIns += 1;
  if (counter.failedSignIns >= SIGN_IN_LOCKOUT.failures) {
    counter.failedSignIns = 0;
    counter.signInLockedUntil = new Date(now.getTime() + SIGN_IN_LOCKOUT.minutes * 60_000);
  }
}

function clearLockout(counter: SignInCounter): void {
  counter.failedSignIns = 0;
  counter.signInLockedUntil = null;
}

/**
 * How long a device token stays good unused, how many an account keeps, and how recently used a
 * device keeps its place against a new one: a client signing in without a token (a script, another
 * app, a cleared browser) takes the place of the least recently used device only if that one has
 * not been used for `keptDays`. Otherwise it is not remembered (no token), so such sign-ins never
 * push out the phone its owner uses every week.
 */
export const SIGN_IN_DEVICES = { days: 90, perAccount: 20, keptDays: 30 };

/** The account's unexpired device token `token`, if that is one (any other value: none). */
async function findDevice(em: EntityManager, account: Account, token: string | null | undefined, now: Date): Promise<SignInDevice | null> {
  if (!token) return null;
  return em.findOne(SignInDevice, { tokenHash: sha256(token), account: account.id, expiresAt: { $gt: now } });
}

/**
 * Hands the client a device token after it proved the password: the one it presented is replaced
 * (so a copied one stops at the owner's next sign-in), or a new one is made if there is room (see
 * SIGN_IN_DEVICES); null when there is none. Expired tokens go. The caller holds the account row locked.
 */
async function trustDevice(em: EntityManager, account: Account, now: Date, device: SignInDevice | null): Promise<string | null> {
  const token = randomSecret();
  const fields = { tokenHash: sha256(token), expiresAt: new Date(now.getTime() + SIGN_IN_DEVICES.days * 86400_000), lastUsedAt: now };
  // Expired tokens go whatever happens (the one presented is unexpired: findDevice).
  await em.nativeDelete(SignInDevice, { account: account.id, expiresAt: { $lte: now } });
  if (device) {
    Object.assign(device, fields);
  } else {
    const live: { id: number; last_used_at: Date }[] = await em.execute(
      'select id, last_used_at from sign_in_device where account_id = ? order by last_used_at asc, id asc',
      [account.id],
    );
    // The least recently used, as many as must go to make room for one more.
    const evicted = live.slice(0, Math.max(0, live.length + 1 - SIGN_IN_DEVICES.perAccount));
    const keptSince = now.getTime() - SIGN_IN_DEVICES.keptDays * 86400_000;
    if (!evicted.every((row) => new Date(row.last_used_at).getTime() <= keptSince)) return null;
    if (evicted.length) await em.nativeDelete(SignInDevice, { id: { $in: evicted.map((row) => row.id) } });
    em.create(SignInDevice, { account, ...fields, createdAt: now, updatedAt: now });
  }
  await em.flush();
  return token;
}

/**
 * Ends every session of the account now: its refresh tokens are revoked, its access tokens refused
 * (identify compares their version). The caller holds the account row locked, and flushes.
 */
async function endSessions(em: EntityManager, account: Account, now: Date): Promise<void> {
  await em.nativeUpdate(RefreshToken, { account: account.id, revokedAt: null }, { revokedAt: now });
  // Device tokens too: one handed out to whoever knew the old password must not outlive it.
  await em.nativeDelete(SignInDevice, { account: account.id });
  account.sessionVersion += 1;
}

/**
 * A refresh token and its account, both locked, in the one order every session writer follows:
 * the account row first (sign-in and the lifecycle mutations lock it too), then the token. A token
 * locked first waited on an account held by a password change, whose update of the tokens waited
 * on the token: a deadlock.
 */
async function lockTokenAndAccount(em: EntityManager, refreshToken: string): Promise<RefreshToken | null> {
  const tokenHash = sha256(refreshToken);
  const owner = await em.execute('select id from account where id = (select account_id from refresh_token where token_hash = ?) for update', [tokenHash]);
  if (owner.length === 0) return null;
  return em.findOne(RefreshToken, { tokenHash }, { populate: ['account'], lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** The current password of the signed-in caller, checked as a sign-in is (wrong ones count; locked is locked). */
async function checkOwnPassword(em: EntityManager, account: Account, password: string, now: Date, field = 'input.currentPassword'): Promise<AppError | null> {
  if (isLocked(account, now)) return lockedOut(account.signInLockedUntil!, now);
  if (await verifyPassword(password, account.passwordHash)) return null;
  countWrongPassword(account, now);
  await em.flush();
  return badInput(field, 'is not your current password');
}

/**
 * The account an administrator acts on, read locked (a copy read before the lock could be stale),
 * with the administrator's own row locked too, in id order, and checked again under the lock: the
 * rights identify() read came before this transaction. Two administrators of everything binding or
 * deactivating each other at the same moment would otherwise both succeed and leave none.
 */
async function loadAccountForAdminChange(em: EntityManager, ctx: AppContext, id: string): Promise<Account> {
  const { id: targetId } = expectGlobalId(id, [Account.name], 'id');
  const viewer = ctx.viewer;
  // The command line acts as the system (no account row) and needs no re-check.
  const actorId = viewer.kind === 'account' && viewer !== SYSTEM_VIEWER ? viewer.accountId : null;
  const locked = await em.find(Account, { id: { $in: actorId === null ? [targetId] : [targetId, actorId] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } });
  const actor = locked.find((account) => account.id === actorId);
  if (actorId !== null && !(actor?.active && actor.role === Role.DISTRICT_ADMIN && !actor.scopeArea)) throw forbidden('Your account is no longer an administrator of everything');
  const target = locked.find((account) => account.id === targetId);
  if (!target) throw notFound(Account.name, id, 'id');
  return target;
}

/** Accounts, sessions and API keys. Who may call which is access.policy.ts (accounts and keys: district administrators). */
export const identityService = {
  /**
   * A client that presents a device token of the account (from an earlier sign-in) is locked on
   * its own; any other client with the account as a whole. So wrong passwords sent by whoever
   * knows the name lock out new clients only, never one that signed in before. A device's wrong
   * passwords count for the account too while it is not locked, so a copied device token used
   * first spends the account's budget with its own; used after the account's budget is spent, it
   * still has its own 5 (until the owner's next sign-in replaces it).
   */
  async signIn(ctx: AppContext, tokens: TokenSettings, username: string, password: string, deviceToken?: string | null): Promise<Session> {
    return inTransactionKeepingRefusal(ctx, async (em): Promise<Session | AppError> => {
      // Locked: two sign-ins racing must not both see the count before the other's failure (a device's count too).
      const account = await em.findOne(Account, { username }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const now = ctx.now();
      // Hash even for an unknown name or a locked account, so the answer takes as long either way.
      const valid = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
      if (!account || !account.active) return wrongPassword();
      const device = await findDevice(em, account, deviceToken, now);
      const counter: SignInCounter = device ?? account;
      // Locked answers as a wrong password does: a distinct answer would tell which names exist.
      if (isLocked(counter, now)) return wrongPassword();
      if (!valid) {
        countWrongPassword(counter, now);
        // For the account too, unless it is locked already (see above).
        if (device && !isLocked(account, now)) countWrongPassword(account, now);
        await em.flush();
        return wrongPassword();
      }
      clearLockout(counter);
      // The right password ends the account's run of wrong ones too (they counted for it), but
      // not a lock: that one is for the clients without a device token.
      if (device) account.failedSignIns = 0;
      account.lastSignInAt = now;
      const session = await issueSession(em, account, tokens, now);
      return { ...session, deviceToken: await trustDevice(em, account, now, device) };
    });
  },

  /**
   * Trades a refresh token for a new session; the old token is spent (rotation), so a stolen one
   * works once at most, and whichever of thief and owner comes second revokes the whole family.
   */
  async refresh(ctx: AppContext, tokens: TokenSettings, refreshToken: string): Promise<Session> {
    const refused = () => unauthenticated('The refresh token is invalid, used or expired: sign in again');
    return inTransactionKeepingRefusal(ctx, async (em): Promise<Session | AppError> => {
      const now = ctx.now();
      // Locked: of two exchanges racing with the same token, the second waits here and then sees it spent.
      const stored = await lockTokenAndAccount(em, refreshToken);
      if (!stored || stored.revokedAt || stored.expiresAt <= now || !stored.account.active) return refused();
      if (stored.spentAt) {
        if (now.getTime() - stored.spentAt.getTime() > REFRESH_RACE_SECONDS * 1000) {
          await em.nativeUpdate(RefreshToken, { family: stored.family, revokedAt: null }, { revokedAt: now });
        }
        return refused();
      }
      stored.spentAt = now;
      return issueSession(em, stored.account, tokens, now, stored.family);
    });
  },

  /**
   * Ends the session the token belongs to: its whole family, whichever of its tokens is presented.
   * A spent one too: if a thief exchanged the owner's copy first, the owner's sign-out must still
   * end the thief's session. True when the session was live.
   */
  async signOut(ctx: AppContext, refreshToken: string): Promise<boolean> {
    return inTransaction(ctx, async (em) => {
      // Locked as refresh() locks it: a refresh racing this sign-out either waits and finds the
      // family revoked, or commits its new token first and this revokes that too.
      const stored = await lockTokenAndAccount(em, refreshToken);
      if (!stored || stored.revokedAt) return false;
      const now = ctx.now();
      const live = await em.count(RefreshToken, { family: stored.family, revokedAt: null, spentAt: null, expiresAt: { $gt: now } });
      await em.nativeUpdate(RefreshToken, { family: stored.family, revokedAt: null }, { revokedAt: now });
      return live > 0;
    });
  },

  /**
   * The signed-in caller's own password. Every session of the account ends (another device may be
   * the reason for the change), and the answer is a new one for this client.
   */
  async changePassword(ctx: AppContext, tokens: TokenSettings, currentPassword: string, newPassword: string): Promise<Session> {
    const viewer = ctx.viewer;
    if (viewer.kind !== 'account') throw forbidden('Only a signed-in account has a password');
    checkNewPassword('input.newPassword', newPassword);
    if (newPassword === currentPassword) throw badInput('input.newPassword', 'must differ from the current password');
    return inTransactionKeepingRefusal(ctx, async (em): Promise<Session | AppError> => {
      const account = (await lockById(em, Account, viewer.accountId))!;
      const now = ctx.now();
      const refused = await checkOwnPassword(em, account, currentPassword, now);
      if (refused) return refused;
      account.passwordHash = await hashPassword(newPassword);
      clearLockout(account);
      await endSessions(em, account, now);
      const session = await issueSession(em, account, tokens, now);
      return { ...session, deviceToken: await trustDevice(em, account, now, null) };
    });
  },

  /** An administrator sets a new password (a forgotten one): it ends every session and lifts a lockout. */
  async resetAccountPassword(ctx: AppContext, id: string, newPassword: string): Promise<Account> {
    checkNewPassword('input.newPassword', newPassword);
    return inTransaction(ctx, async (em) => {
      const account = await loadAccountForAdminChange(em, ctx, id);
      account.passwordHash = await hashPassword(newPassword);
      clearLockout(account);
      await endSessions(em, account, ctx.now());
      await em.flush();
      return account;
    });
  },

  /** Deactivating ends every session at once; an administrator cannot deactivate their own account. */
  async setAccountActive(ctx: AppContext, id: string, active: boolean): Promise<Account> {
    return inTransaction(ctx, async (em) => {
      const account = await loadAccountForAdminChange(em, ctx, id);
      if (!active && ctx.viewer.kind === 'account' && ctx.viewer.accountId === account.id) throw badInput('id', 'you cannot deactivate your own account');
      if (account.active === active) return account;
      account.active = active;
      if (!active) await endSessions(em, account, ctx.now());
      await em.flush();
      return account;
    });
  },

  /**
   * A new display name or scope area (staff moving to another community): the scope follows the
   * role's binding as at creation; undefined leaves a field as it is, a null scope means
   * everything (where the role allows none). Takes effect on the account's next request. An
   * administrator's own scope stays: narrowing it would take away the right to undo it.
   */
  async updateAccount(ctx: AppContext, id: string, input: { displayName?: string | null; scopeAreaId?: string | null }): Promise<Account> {
    if (input.displayName === null) throw badInput('input.displayName', 'cannot be cleared');
    return inTransaction(ctx, async (em) => {
      const account = await loadAccountForAdminChange(em, ctx, id);
      if (input.scopeAreaId !== undefined) {
        if (ctx.viewer.kind === 'account' && ctx.viewer.accountId === account.id) throw badInput('input.scopeAreaId', 'you cannot change your own scope');
        const scopeTypes = checkScopeBinding(account.role as Exclude<Role, Role.PORTAL>, input.scopeAreaId);
        account.scopeArea = input.scopeAreaId ? await loadArea(em, input.scopeAreaId, scopeTypes, 'input.scopeAreaId') : null;
      }
      if (input.displayName != null) account.displayName = input.displayName;
      await em.flush();
      return account;
    });
  },

  /** Lifts a sign-in lockout before it runs out (the owner remembers the password after all): the account's and its device tokens'. */
  async unlockAccount(ctx: AppContext, id: string): Promise<Account> {
    return inTransaction(ctx, async (em) => {
      const account = await loadAccountForAdminChange(em, ctx, id);
      clearLockout(account);
      await em.nativeUpdate(SignInDevice, { account: account.id }, { failedSignIns: 0, signInLockedUntil: null });
      await em.flush();
      return account;
    });
  },

  /** The accounts list an administrator's screen filters: by role, active, locked now, a device paused now, name. */
  async listAccounts(
    ctx: AppContext,
    filter: { roles?: Role[] | null; active?: boolean | null; signInLocked?: boolean | null; devicePaused?: boolean | null; search?: string | null },
    args: ConnectionArgs,
  ): Promise<ConnectionResult<Account>> {
    const where: FilterQuery<Account> & Record<string, unknown> = {};
    if (filter.roles?.length) where.role = { $in: filter.roles };
    if (filter.active != null) where.active = filter.active;
    if (filter.signInLocked === true) where.signInLockedUntil = { $gt: ctx.now() };
    if (filter.signInLocked === false) where.$and = [{ $or: [{ signInLockedUntil: null }, { signInLockedUntil: { $lte: ctx.now() } }] }];
    if (filter.devicePaused != null) {
      // A paused device of an unexpired token (an expired one counts for nothing at sign-in). Few
      // are paused at once: their accounts' ids are read first, one statement.
      const rows: { account_id: number }[] = await ctx.em.execute(
        'select distinct account_id from sign_in_device where sign_in_locked_until > ? and expires_at > ?',
        [ctx.now(), ctx.now()],
      );
      const ids = rows.map((row) => row.account_id);
      if (filter.devicePaused) where.id = { $in: ids };
      else if (ids.length) where.id = { $nin: ids };
    }
    if (filter.search?.trim()) where.$or = [{ username: { $ilike: containsPattern(filter.search) } }, { displayName: { $ilike: containsPattern(filter.search) } }];
    return paginate(ctx.em, Account, where, { property: 'id', direction: OrderDirection.DESC }, args);
  },

  /** The signed-in caller's own account (`me`). */
  async me(ctx: AppContext): Promise<Account> {
    const viewer = ctx.viewer;
    if (viewer.kind !== 'account') throw forbidden('Only a signed-in account has an account');
    const account = await ctx.em.findOne(Account, { id: viewer.accountId });
    // identify() found it moments ago; gone since, it is answered as identify() would now.
    if (!account) throw unauthenticated('This account is no longer active');
    return account;
  },

  /**
   * Forgets one remembered device (a lost phone, one paused by the lockout): its token counts for
   * nothing at the next sign-in, which is then a new client's (locked with the account, given a new
   * token and device). An account forgets its own; an administrator of everything any account's.
   * Any other device, like an unknown or expired one, is NOT_FOUND: the answer does not tell
   * whether it exists for someone else. Sessions already open stay (a device is not a session:
   * resetAccountPassword or setAccountActive end those). Answers the device's account.
   */
  async forgetSignInDevice(ctx: AppContext, id: string, currentPassword: string | null | undefined): Promise<Account> {
    const viewer = ctx.viewer;
    if (viewer.kind !== 'account') throw forbidden('Only a signed-in account has sign-in devices');
    const { id: deviceId } = expectGlobalId(id, [SIGN_IN_DEVICE_TYPE], 'id');
    if (currentPassword && currentPassword.length > 200) throw badInput('currentPassword', 'must be at most 200 characters');
    const missing = () => notFound(SIGN_IN_DEVICE_TYPE, id, 'id');
    return inTransactionKeepingRefusal(ctx, async (em): Promise<Account | AppError> => {
      const now = ctx.now();
      // Not locked: the account row is locked first (as every session writer does), then the device deleted.
      const [device]: { account_id: number }[] = await em.execute('select account_id from sign_in_device where id = ? and expires_at > ?', [deviceId, now]);
      if (!device) throw missing();
      let account: Account | null;
      if (device.account_id === viewer.accountId) {
        account = (await lockById(em, Account, device.account_id))!;
        // A session alone may not do it: one open on the lost phone would otherwise forget the
        // owner's other devices and then lock the name with wrong passwords, every client with it.
        if (!currentPassword) throw badInput('currentPassword', 'is required to forget one of your own devices, as to change your password');
        const refused = await checkOwnPassword(em, account, currentPassword, now, 'currentPassword');
        if (refused) return refused;
      } else if (administersAccounts(viewer)) account = await loadAccountForAdminChange(em, ctx, toGlobalId(Account.name, device.account_id));
      else throw missing();
      // Gone since it was read (replaced tokens keep their row; evicted or expired ones do not).
      if (!account || !(await em.nativeDelete(SignInDevice, { id: deviceId, account: account.id, expiresAt: { $gt: now } }))) throw missing();
      return account;
    });
  },

  /**
   * The unexpired device tokens of each account, most recently used first (at most
   * SIGN_IN_DEVICES.perAccount each), in one statement for all: for the Account.signInDevices loader.
   * What support needs and nothing that names the token (no hash); the row's global id to forget one.
   */
  async signInDevicesOf(ctx: AppContext, accountIds: readonly number[]): Promise<SignInDeviceView[][]> {
    const now = ctx.now();
    const rows = await ctx.em.find(SignInDevice, { account: { $in: [...accountIds] }, expiresAt: { $gt: now } }, { orderBy: { lastUsedAt: 'desc', id: 'desc' } });
    const byAccount = new Map<number, SignInDeviceView[]>(accountIds.map((id) => [id, []]));
    for (const row of rows) {
      byAccount.get(row.account.id)?.push({
        id: toGlobalId(SIGN_IN_DEVICE_TYPE, row.id),
        rememberedAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
        expiresAt: row.expiresAt,
        failedSignIns: row.failedSignIns,
        signInPausedUntil: row.signInLockedUntil && row.signInLockedUntil > now ? row.signInLockedUntil : null,
      });
    }
    return accountIds.map((id) => byAccount.get(id)!);
  },

  async createAccount(
    ctx: AppContext,
    input: { username: string; displayName: string; password: string; role: Role; scopeAreaId?: string | null; unitId?: string | null; personId?: string | null },
  ): Promise<Account> {
    return createAccountIn(ctx, input);
  },

  async createApiKey(ctx: AppContext, input: { name: string; scopeAreaId?: string | null; expiresAt?: Date | null }): Promise<{ apiKey: ApiKey; key: string }> {
    if (input.expiresAt && input.expiresAt <= ctx.now()) throw badInput('input.expiresAt', 'must be in the future');
    return inTransaction(ctx, async (em) => {
      const scopeArea = input.scopeAreaId ? await loadArea(em, input.scopeAreaId, ALL_AREA_TYPES, 'input.scopeAreaId') : null;
      const { key, prefix } = newApiKey();
      const apiKey = em.create(ApiKey, { name: input.name, prefix, secretHash: sha256(key), scopeArea, expiresAt: input.expiresAt ?? null });
      await em.flush();
      return { apiKey, key };
    });
  },

  async revokeApiKey(ctx: AppContext, id: string): Promise<ApiKey> {
    return inTransaction(ctx, async (em) => {
      const apiKey = await loadByGlobalId(em, ApiKey, id, 'id');
      apiKey.revokedAt ??= ctx.now();
      await em.flush();
      return apiKey;
    });
  },
};

/**
 * Whether a scope area may be given for a role (ACCOUNT_BINDINGS), and the area types it may be:
 * any for 'optional', none for 'derived', else the one level, required. For createAccount and updateAccount.
 */
function checkScopeBinding(role: Exclude<Role, Role.PORTAL>, scopeAreaId: string | null | undefined): string[] {
  const binding = ACCOUNT_BINDINGS[role];
  if (binding.scope === 'derived' && scopeAreaId) {
    throw badInput('input.scopeAreaId', `a ${role} account's area follows from its ${binding.person ? "person's residence community" : "unit's pairings and alliance seats"}: give none`);
  }
  if (binding.scope !== 'optional' && binding.scope !== 'derived' && !scopeAreaId) throw badInput('input.scopeAreaId', `a ${role} account is bound to a ${binding.scope.toLowerCase()}`);
  return binding.scope === 'optional' || binding.scope === 'derived' ? ALL_AREA_TYPES : [AREA_TYPE_NAME[AreaLevel[binding.scope]]];
}

/** Creates an account (used by the API, for admins, and by the first-admin command). */
export async function createAccountIn(
  ctx: Pick<AppContext, 'em' | 'now'> & Partial<AppContext>,
  input: { username: string; displayName: string; password: string; role: Role; scopeAreaId?: string | null; unitId?: string | null; personId?: string | null },
): Promise<Account> {
  if (input.role === Role.PORTAL) throw badInput('input.role', 'portals use API keys, not accounts');
  const binding = ACCOUNT_BINDINGS[input.role];
  if (!binding) throw badInput('input.role', `unknown role ${input.role}`);
  checkNewPassword('input.password', input.password);
  if (binding.unit === 'required' && !input.unitId) throw badInput('input.unitId', `a ${input.role} account is bound to a unit`);
  if (binding.unit === 'refused' && input.unitId) throw badInput('input.unitId', `only a ${Role.UNIT_LIAISON} account is bound to a unit`);
  if (binding.person === 'required' && !input.personId) throw badInput('input.personId', `a ${input.role} account is bound to a person`);
  const scopeTypes = checkScopeBinding(input.role, input.scopeAreaId);
  const usernameTaken = () => conflict(`the username "${input.username}" is taken`, 'input.username');
  // A twin racing past the check hits the unique key: it reads the same as the check's answer.
  return sameConflictWhenRaced(inTransaction(ctx as AppContext, async (em) => {
    if (await em.count(Account, { username: input.username })) throw usernameTaken();
    const account = em.create(Account, {
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      scopeArea: input.scopeAreaId ? await loadArea(em, input.scopeAreaId, scopeTypes, 'input.scopeAreaId') : null,
      unit: (await loadOptional(em, Unit, input.unitId, 'input.unitId')) ?? null,
      person: (await loadOptional(em, Person, input.personId, 'input.personId')) ?? null,
    });
    if (binding.person === 'required' && !(account.person?.isPartyMember && account.person.residenceCommunity)) {
      throw badInput('input.personId', 'a party member account is for a party member who has reported to a residence community');
    }
    await em.flush();
    return account;
  }), 'input.username', usernameTaken);
}
