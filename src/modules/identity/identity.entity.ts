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
export class Account extends NodeEntity {
  @Field()
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
}

/** A refresh token (stored hashed), rotated on every use. */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken extends NodeEntity {
  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  @Index()
  account!: Rel<Account>;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
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

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;
}
