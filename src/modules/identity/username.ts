import { LockMode, raw, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { Account } from './identity.entity';

/**
 * The one rule for usernames, for every way an account is made (the API, the accounts command,
 * the demo seed: all through createAccountIn) and every way one is looked up (signIn, the
 * accounts command's reset-password). A username is one canonical form, so `Wang.Li`,
 * ` wang.li ` and `wang.li` are one account, not three lookalikes in the audit log and tokens:
 * what staff type is read with the spaces around it dropped, full-width letters and digits
 * (typed with a Chinese input method) as their ASCII forms, and capitals as lower case.
 */
export const USERNAME_RULE = '3-60 characters: lower-case letters a-z, digits, dot, underscore or dash (e.g. wang.li; capitals are read as lower case, spaces around it dropped)';

const USERNAME_PATTERN = /^[a-z0-9._-]{3,60}$/;

/** The canonical form of a typed username, before any check: NFKC (full-width ｗａｎｇ → wang), trimmed, lower-cased. */
export function normalizeUsername(typed: string): string {
  return typed.normalize('NFKC').trim().toLowerCase();
}

/** Whether a typed username, once canonical, keeps the rule (the accounts command checks it before any database work). */
export function isValidUsername(typed: string): boolean {
  return USERNAME_PATTERN.test(normalizeUsername(typed));
}

/** The canonical form of a new account's username, or BAD_USER_INPUT on `field` saying the rule. */
export function checkNewUsername(field: string, typed: string): string {
  if (!isValidUsername(typed)) throw badInput(field, `a username is ${USERNAME_RULE}`);
  return normalizeUsername(typed);
}

/** Accounts whose username is `canonical` whatever its case: what the unique index on lower(username) keeps to one. */
export function sameUsername(canonical: string): FilterQuery<Account> {
  return { [raw('lower(username)')]: canonical } as FilterQuery<Account>;
}

/**
 * The account a typed username names, locked for update when `lock` is given, or null. The
 * canonical form finds it whatever case and spaces were typed. Accounts made before usernames
 * were one form may differ only by case (Migration20261223100000 leaves them): among those, the
 * one stored exactly as typed is meant, as before; typed any other way the name is ambiguous and
 * names no account.
 */
export async function findAccountByUsername(em: EntityManager, typed: string, options: { lock?: boolean } = {}): Promise<Account | null> {
  const canonical = normalizeUsername(typed);
  const found = await em.find(Account, { $or: [sameUsername(canonical), { username: typed }] } as FilterQuery<Account>, {
    ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}),
    refresh: true,
    orderBy: { id: 'asc' },
  });
  return found.find((account) => account.username === typed) ?? (found.length === 1 ? found[0]! : null);
}
