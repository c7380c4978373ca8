// Tokens and sessions: the access token (a signed JWT) and the rotating refresh tokens behind it,
// and the identityService methods that issue, exchange and end them (signIn, refresh, signOut,
// changePassword). Apart from identity.service.ts, which administers accounts: this is what a
// client does with its own credentials.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppConfig } from '../../config/env';
import { AppError, badInput, forbidden, unauthenticated } from '../../common/errors';
import { lockById } from '../../common/lookup';
import { inTransaction, inTransactionKeepingRefusal } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { DUMMY_HASH, hashPassword, randomSecret, sha256, verifyPassword } from './credentials';
import { Account, RefreshToken, SignInDevice } from './identity.entity';
import { findAccountByUsername } from './username';
import { checkNewPassword, checkOwnPassword, clearLockout, countWrongPassword, findDevice, isLocked, trustDevice, wrongPassword, type SignInCounter } from './sign-in-guard';

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

export const ISSUER = 'gongjian';

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
 * A new sign-in starts a family of refresh tokens, on the device it was remembered as (if any); a
 * refresh continues its token's family and device. Every caller holds the account row locked, so
 * this is where the account's expired tokens go.
 */
async function issueSession(
  em: EntityManager,
  account: Account,
  tokens: TokenSettings,
  now: Date,
  { family = randomBytes(16).toString('hex'), device = null }: { family?: string; device?: SignInDevice | null } = {},
): Promise<Session> {
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
  em.create(RefreshToken, { account, family, device, tokenHash: sha256(refreshToken), expiresAt: new Date(now.getTime() + tokens.refreshTtlDays * 86400_000) });
  await em.flush();
  return { accessToken, accessTokenExpiresAt: expiresAt, refreshToken, account };
}

/**
 * A spent refresh token presented again within this many seconds of its exchange is refused
 * but does not revoke its family: two tabs of one client refreshing at the same moment race
 * with the same token, and the loser must not sign the winner out. Later, it is a replay.
 */
const REFRESH_RACE_SECONDS = 10;

/**
 * Ends every session of the account now: its refresh tokens are revoked, its access tokens refused
 * (identify compares their version). The caller holds the account row locked, and flushes.
 */
export async function endSessions(em: EntityManager, account: Account, now: Date): Promise<void> {
  await em.nativeUpdate(RefreshToken, { account: account.id, revokedAt: null }, { revokedAt: now });
  // Device tokens too: one handed out to whoever knew the old password must not outlive it.
  await em.nativeDelete(SignInDevice, { account: account.id });
  account.sessionVersion += 1;
}

/**
 * Ends the sessions signed in on one remembered device of the account: their whole families, so
 * the access tokens go at once too (identify checks the family). The caller holds the account row
 * locked, and deletes the device after (its deletion would unlink the tokens: on delete set null).
 */
export async function endDeviceSessions(em: EntityManager, accountId: number, deviceId: number, now: Date): Promise<void> {
  await em.execute(
    `update refresh_token set revoked_at = ? where account_id = ? and revoked_at is null
      and family in (select family from refresh_token where account_id = ? and device_id = ?)`,
    [now, accountId, accountId, deviceId],
  );
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

/** The session methods of identityService (spread into it in identity.service.ts). */
export const sessionService = {
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
      // Whatever case and spaces were typed (username.ts); an unknown name is answered as below.
      const account = await findAccountByUsername(em, username, { lock: true });
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
      const trusted = await trustDevice(em, account, now, device);
      const session = await issueSession(em, account, tokens, now, { device: trusted?.device });
      return { ...session, deviceToken: trusted?.token ?? null };
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
      return issueSession(em, stored.account, tokens, now, { family: stored.family, device: stored.device });
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
      // The same change sent twice at once (a double-click, a client's retry): the copy waited on the
      // lock while the first changed the password and ended this session. Compared with the new hash
      // it would count as a wrong password, and six copies locked the owner out.
      if (viewer.sessionVersion !== undefined && viewer.sessionVersion !== account.sessionVersion) {
        throw unauthenticated('This session was ended while the request waited (the password was just changed or reset); nothing was changed: sign in again');
      }
      const now = ctx.now();
      const refused = await checkOwnPassword(em, account, currentPassword, now);
      if (refused) return refused;
      account.passwordHash = await hashPassword(newPassword);
      clearLockout(account);
      await endSessions(em, account, now);
      const trusted = await trustDevice(em, account, now, null);
      const session = await issueSession(em, account, tokens, now, { device: trusted?.device });
      return { ...session, deviceToken: trusted?.token ?? null };
    });
  },
};
