// Account administration (create, update, reset a password, (de)activate, unlock, list; an
// account's remembered devices), `me`, and API keys; and identityService, the object the resolvers
// call, which takes its session methods from sessions.ts. Tokens and sessions (sessions.ts), telling
// who sent a request (identify.ts) and the password rule and lockout (sign-in-guard.ts) are apart.
import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { containsPattern } from '../../common/filters';
import { OrderDirection, paginate, type ConnectionArgs, type ConnectionResult } from '../../common/pagination';
import { AppError, badInput, conflict, forbidden, notFound, unauthenticated } from '../../common/errors';
import { loadByGlobalId, loadOptional, lockById } from '../../common/lookup';
import { expectGlobalId, toGlobalId } from '../../common/global-id';
import { inTransaction, inTransactionKeepingRefusal, sameConflictWhenRaced } from '../../common/transaction';
import { SYSTEM_VIEWER, type AppContext } from '../../context/context';
import { AREA_TYPE_NAME, AreaLevel } from '../area/area.entity';
import { ALL_AREA_TYPES, loadArea } from '../area/area.service';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { hashPassword, newApiKey, sha256 } from './credentials';
import { Account, ApiKey, Role, SignInDevice } from './identity.entity';
import { ACCOUNT_BINDINGS, administersAccounts } from './access.policy';
import { endDeviceSessions, endSessions, sessionService } from './sessions';
import { checkNewUsername, sameUsername } from './username';
import { SIGN_IN_DEVICE_TYPE, checkNewPassword, checkOwnPassword, clearLockout, type SignInDeviceView } from './sign-in-guard';

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
  ...sessionService,

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
   * whether it exists for someone else. The sessions signed in on the device end with it (the
   * caller's own, if it is this device); sessions on devices never remembered cannot be told
   * apart and stay (changePassword or resetAccountPassword end every one). Answers the device's account.
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
        // As in changePassword: a password change (or reset, or deactivation) committed while this
        // waited on the account row ended this session; the password sent is then checked against
        // the new hash and counted as wrong. Nothing is done or counted: the caller signs in again.
        if (viewer.sessionVersion !== undefined && viewer.sessionVersion !== account.sessionVersion) {
          throw unauthenticated('This session was ended while the request waited (the password was just changed or reset); nothing was changed: sign in again');
        }
        // A session alone may not do it: one open on the lost phone would otherwise forget the
        // owner's other devices and then lock the name with wrong passwords, every client with it.
        if (!currentPassword) throw badInput('currentPassword', 'is required to forget one of your own devices, as to change your password');
        const refused = await checkOwnPassword(em, account, currentPassword, now, 'currentPassword');
        if (refused) return refused;
      } else if (administersAccounts(viewer)) account = await loadAccountForAdminChange(em, ctx, toGlobalId(Account.name, device.account_id));
      else throw missing();
      if (!account) throw missing();
      // Before the row goes: deleting it unlinks its sessions. Undone by the throw below if it is gone.
      await endDeviceSessions(em, account.id, deviceId, now);
      // Gone since it was read (replaced tokens keep their row; evicted or expired ones do not).
      if (!(await em.nativeDelete(SignInDevice, { id: deviceId, account: account.id, expiresAt: { $gt: now } }))) throw missing();
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
    // signed_in: a session started on it can still be refreshed (the family's newest token is live).
    const rows: {
      id: number; account_id: number; created_at: Date; last_used_at: Date; expires_at: Date; failed_sign_ins: number; sign_in_locked_until: Date | null; signed_in: boolean;
    }[] = await ctx.em.execute(
      `select d.id, d.account_id, d.created_at, d.last_used_at, d.expires_at, d.failed_sign_ins, d.sign_in_locked_until,
          exists (select 1 from refresh_token t where t.device_id = d.id and t.revoked_at is null and t.spent_at is null and t.expires_at > ?) as signed_in
        from sign_in_device d where d.account_id = any(?::int[]) and d.expires_at > ?
        order by d.last_used_at desc, d.id desc`,
      // The ids as one array literal: knex would spread a JS array into a list of parameters.
      [now, `{${accountIds.join(',')}}`, now],
    );
    const byAccount = new Map<number, SignInDeviceView[]>(accountIds.map((id) => [id, []]));
    for (const row of rows) {
      const pausedUntil = row.sign_in_locked_until && new Date(row.sign_in_locked_until);
      byAccount.get(row.account_id)?.push({
        id: toGlobalId(SIGN_IN_DEVICE_TYPE, row.id),
        rememberedAt: new Date(row.created_at),
        lastUsedAt: new Date(row.last_used_at),
        expiresAt: new Date(row.expires_at),
        failedSignIns: row.failed_sign_ins,
        signInPausedUntil: pausedUntil && pausedUntil > now ? pausedUntil : null,
        signedIn: row.signed_in,
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
  // One canonical form (username.ts), so Wang.Li and " wang.li " are not lookalikes of wang.li.
  const username = checkNewUsername('input.username', input.username);
  if (input.role === Role.PORTAL) throw badInput('input.role', 'portals use API keys, not accounts');
  const binding = ACCOUNT_BINDINGS[input.role];
  if (!binding) throw badInput('input.role', `unknown role ${input.role}`);
  checkNewPassword('input.password', input.password);
  if (binding.unit === 'required' && !input.unitId) throw badInput('input.unitId', `a ${input.role} account is bound to a unit`);
  if (binding.unit === 'refused' && input.unitId) throw badInput('input.unitId', `only a ${Role.UNIT_LIAISON} account is bound to a unit`);
  if (binding.person === 'required' && !input.personId) throw badInput('input.personId', `a ${input.role} account is bound to a person`);
  const scopeTypes = checkScopeBinding(input.role, input.scopeAreaId);
  const usernameTaken = () => conflict(`the username "${username}" is taken`, 'input.username');
  // A twin racing past the check hits the unique key: it reads the same as the check's answer.
  return sameConflictWhenRaced(inTransaction(ctx as AppContext, async (em) => {
    // Any case: an account made before usernames were one form may be Wang.Li.
    if (await em.count(Account, sameUsername(username))) throw usernameTaken();
    const account = em.create(Account, {
      username,
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
