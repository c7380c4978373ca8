import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Area } from '../area/area.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { Role } from './role';

export { Role };

/** A staff account: signs in with a password (stored as a scrypt hash), gets short-lived tokens. */
@ObjectType({ implements: NodeEntity, description: 'A staff account.' })
@Entity({ tableName: 'account' })
// Unique whatever the case (Migration20261223100000; which accounts an old database leaves out, there).
@Index({ name: 'account_username_lower_unique', expression: 'create unique index "account_username_lower_unique" on "account" (lower("username"))' })
export class Account extends NodeEntity {
  /** Trimmed and lower-cased, [a-z0-9._-]{3,60} (username.ts); an account made before that rule may differ. */
  @Field({ description: 'Lower case: letters a-z, digits, dot, underscore or dash (accounts made before usernames had a rule may differ).' })
  @Property({ type: 'string', length: 60, unique: true })
  username!: string;

  @Field()
  @Property({ type: 'string', length: 60 })
  displayName!: string;

  /** scrypt$N$r$p$salt$hash; never exposed. */
  @Property({ type: 'string', length: 255 })
  passwordHash!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  /** The subtree this account may see and act in (null only for a district admin of everything). */
  @ManyToOne('Area', { nullable: true, deleteRule: 'restrict' })
  @Index()
  scopeArea?: Rel<Area> | null;

  /** For a unit liaison: the unit. */
  @ManyToOne('Unit', { nullable: true, deleteRule: 'restrict' })
  unit?: Rel<Unit> | null;

  /** For a party member or grid worker: who they are. */
  @ManyToOne('Person', { nullable: true, deleteRule: 'set null' })
  person?: Rel<Person> | null;

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastSignInAt?: Date | null;

  /**
   * Access tokens carry the version they were issued under (claim `sv`) and are refused once it
   * moves on: a password change or reset and a deactivation add one, ending every session at once
   * rather than when its tokens expire.
   */
  @Property({ type: 'integer', default: 0 })
  sessionVersion: number = 0;

  /** Wrong passwords since the last sign-in or lock (see SIGN_IN_LOCKOUT in sign-in-guard.ts). */
  @Property({ type: 'integer', default: 0 })
  failedSignIns: number = 0;

  /** Sign-ins are refused until then, after too many wrong passwords in a row. */
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Sign-ins are refused until then, after too many wrong passwords in a row; null when not locked.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  signInLockedUntil?: Date | null;
}

/** A secret handed to one account's client: stored as its SHA-256 only, with an expiry (refresh and device tokens). */
abstract class AccountSecret extends NodeEntity {
  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  @Index()
  account!: Rel<Account>;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;
}

/**
 * A refresh token (stored hashed), rotated on every use. The tokens one sign-in leads to share a
 * `family`: a spent token presented again means two clients hold the chain (one of them stole it),
 * so the whole family is revoked (OAuth 2.0 Security BCP, refresh token reuse detection).
 */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken extends AccountSecret {
  /** Signed out, or its family revoked: refused, and presenting it again changes nothing. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  /** One sign-in's chain of rotated tokens (random, shared by the chain). */
  @Property({ type: 'string', length: 32 })
  @Index()
  family!: string;

  /** Exchanged for the next token of the family: presented again, it revokes the family. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  spentAt?: Date | null;

  /**
   * The remembered device the family's sign-in was made on (every token of a family has the same
   * one), so forgetting the device ends its sessions. None when the sign-in was not remembered
   * (no room: SIGN_IN_DEVICES), or once the device expired or was evicted: then the session lives
   * on until its own end, as a session on a device never remembered does.
   */
  @ManyToOne(() => SignInDevice, { nullable: true, deleteRule: 'set null' })
  @Index()
  device?: Rel<SignInDevice> | null;
}

/**
 * A device token ("device cookie", OWASP: slow down online guessing with device cookies): handed
 * to a client with a successful sign-in, presented by it at later sign-ins. Such a sign-in is
 * locked on its own, not with the account, so whoever knows a username and keeps the account's
 * sign-in locked with wrong passwords does not lock out the clients that signed in before (see
 * signIn for how its wrong passwords count). Stored hashed; forgotten when the password changes or
 * is reset, or the account is deactivated. Forgetting one ends the sessions signed in on it
 * (RefreshToken.device).
 */
@Entity({ tableName: 'sign_in_device' })
export class SignInDevice extends AccountSecret {
  /** Wrong passwords presented with this token since its last good one (SIGN_IN_LOCKOUT). */
  @Property({ type: 'integer', default: 0 })
  failedSignIns: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  signInLockedUntil?: Date | null;

  /**
   * When it last proved the password: remembered, or its token presented with the right password
   * (not updatedAt, which a wrong password moves too). The cap per account evicts by it.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastUsedAt!: Date;
}

/** A portal's API key: shown once, stored hashed, revocable, optionally expiring. Read-only. */
@ObjectType({ implements: NodeEntity, description: 'A portal API key (its secret is shown once, at creation).' })
@Entity({ tableName: 'api_key' })
export class ApiKey extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 100 })
  name!: string;

  /** The first characters of the key, shown to tell keys apart and used to find the row. */
  @Field({ description: 'The visible start of the key, e.g. gjk_3f9a1c.' })
  @Property({ type: 'string', length: 16, unique: true })
  prefix!: string;

  @Property({ type: 'string', length: 64 })
  secretHash!: string;

  @ManyToOne('Area', { nullable: true, deleteRule: 'restrict' })
  scopeArea?: Rel<Area> | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  /** Written at most once a minute (API_KEY_LAST_USED_SECONDS in identify.ts). */
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Its last request with the key valid (refused later by the rate limit or a field\'s access rule or not), to within a minute (written at most once a minute).' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;
}
