// What stands between a password and a session: the rule for a new password, and the lockout
// after wrong ones, counted per account and per remembered sign-in device (SignInDevice). Apart
// from sessions.ts and identity.service.ts, which both use it (signIn and changePassword; a reset,
// an unlock and forgetSignInDevice).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, badInput, unauthenticated } from '../../common/errors';
import { randomSecret, sha256, verifyPassword } from './credentials';
import { Account, SignInDevice } from './identity.entity';

/** What an administrator, or the account itself, sees of a device token (Account.signInDevices): never the token or its hash. */
export interface SignInDeviceView {
  /** The row's global id (SIGN_IN_DEVICE_TYPE): what forgetSignInDevice takes. It stays when the token is replaced at a sign-in. */
  id: string;
  rememberedAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  failedSignIns: number;
  signInPausedUntil: Date | null;
  /** A session signed in on it is open (forgetting the device would end it). */
  signedIn: boolean;
}

/** The GraphQL type, and global-id prefix, of a remembered device (the entity is no GraphQL type of its own). */
export const SIGN_IN_DEVICE_TYPE = 'SignInDevice';

/**
 * Wrong passwords in a row after which an account's sign-ins are refused for a while, whatever
 * the password: the per-address rate limit alone would let one address try 600 passwords a
 * minute, and many addresses more. A right password resets the count. A locked sign-in gets the
 * wrong-password answer; a signed-in caller checking their own password (changePassword) is told.
 */
export const SIGN_IN_LOCKOUT = { failures: 5, minutes: 15 };

function lockedOut(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new AppError(ErrorCode.RATE_LIMITED, `Too many wrong passwords for this account: sign-in is locked for ${Math.ceil(retryAfterSeconds / 60)} more minute(s)`, {
    retryAfterSeconds,
  });
}

/** One answer for an unknown name, a wrong password and a locked account (which one is not said). */
export const WRONG_PASSWORD_MESSAGE = `Wrong username or password (after ${SIGN_IN_LOCKOUT.failures} wrong passwords in a row, an account's sign-in pauses for ${SIGN_IN_LOCKOUT.minutes} minutes)`;
export const wrongPassword = () => unauthenticated(WRONG_PASSWORD_MESSAGE);

/** The rule for every new password (createAccount, changePassword, resetAccountPassword). */
export function checkNewPassword(field: string, password: string): void {
  if (password.length < 12) throw badInput(field, 'must be at least 12 characters');
}

/** What the lockout counts: an account (any client), or one device token of it (SignInDevice). */
export type SignInCounter = Pick<Account, 'failedSignIns' | 'signInLockedUntil'>;

export const isLocked = (counter: SignInCounter, now: Date) => Boolean(counter.signInLockedUntil && counter.signInLockedUntil > now);

/** A wrong password counts towards the lockout; the caller flushes, in the transaction that read the account locked. */
export function countWrongPassword(counter: SignInCounter, now: Date): void {
  counter.failedSignIns += 1;
  if (counter.failedSignIns >= SIGN_IN_LOCKOUT.failures) {
    counter.failedSignIns = 0;
    counter.signInLockedUntil = new Date(now.getTime() + SIGN_IN_LOCKOUT.minutes * 60_000);
  }
}

export function clearLockout(counter: SignInCounter): void {
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
export async function findDevice(em: EntityManager, account: Account, token: string | null | undefined, now: Date): Promise<SignInDevice | null> {
  if (!token) return null;
  return em.findOne(SignInDevice, { tokenHash: sha256(token), account: account.id, expiresAt: { $gt: now } });
}

/**
 * Hands the client a device token after it proved the password: the one it presented is replaced
 * (so a copied one stops at the owner's next sign-in), or a new one is made if there is room (see
 * SIGN_IN_DEVICES); null when there is none. Answers the token and the device it is now (the
 * session is signed in on it). Expired tokens go. The caller holds the account row locked.
 */
export async function trustDevice(em: EntityManager, account: Account, now: Date, device: SignInDevice | null): Promise<{ token: string; device: SignInDevice } | null> {
  const token = randomSecret();
  const fields = { tokenHash: sha256(token), expiresAt: new Date(now.getTime() + SIGN_IN_DEVICES.days * 86400_000), lastUsedAt: now };
  // Expired tokens go whatever happens (the one presented is unexpired: findDevice).
  await em.nativeDelete(SignInDevice, { account: account.id, expiresAt: { $lte: now } });
  let trusted = device;
  if (trusted) {
    Object.assign(trusted, fields);
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
    trusted = em.create(SignInDevice, { account, ...fields, createdAt: now, updatedAt: now });
  }
  await em.flush();
  return { token, device: trusted };
}

/** The current password of the signed-in caller, checked as a sign-in is (wrong ones count; locked is locked). */
export async function checkOwnPassword(em: EntityManager, account: Account, password: string, now: Date, field = 'input.currentPassword'): Promise<AppError | null> {
  if (isLocked(account, now)) return lockedOut(account.signInLockedUntil!, now);
  if (await verifyPassword(password, account.passwordHash)) return null;
  countWrongPassword(account, now);
  await em.flush();
  return badInput(field, 'is not your current password');
}
