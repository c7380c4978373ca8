import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Community, Grid } from '../area/area.entity';
import type { PartyOrganization } from '../party-organization/party-organization.entity';
import type { Unit } from '../unit/unit.entity';

/** 在职 / 退休 / 流动 党员. Null on a person means not a party member. */
export enum PartyStatus {
  IN_SERVICE = 'IN_SERVICE',
  RETIRED = 'RETIRED',
  MOBILE = 'MOBILE',
}
registerEnumType(PartyStatus, {
  name: 'PartyStatus',
  description: '在职党员 IN_SERVICE, 退休党员 RETIRED, 流动党员 MOBILE.',
  valuesConfig: {
    IN_SERVICE: { description: '在职党员: a member in work; needs an employer unit, through which they report (双报到) to the community they live in.' },
    RETIRED: { description: '退休党员: belongs to the community\'s own organisations; does not report (双报到) nor hold alliance seats for a unit.' },
    MOBILE: { description: '流动党员: a mobile member; belongs to the community\'s own organisations and does not report (双报到).' },
  },
});

export enum Gender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
}
registerEnumType(Gender, {
  name: 'Gender',
  valuesConfig: {
    FEMALE: { description: '女: female; must match an ID number given (even 17th digit).' },
    MALE: { description: '男: male; must match an ID number given (odd 17th digit).' },
  },
});

export enum GridWorkerRole {
  FULL_TIME = 'FULL_TIME',
  PART_TIME = 'PART_TIME',
  GRID_LEADER = 'GRID_LEADER',
}
registerEnumType(GridWorkerRole, {
  name: 'GridWorkerRole',
  description: '专职网格员 FULL_TIME, 兼职网格员 PART_TIME, 网格长 GRID_LEADER.',
  valuesConfig: {
    FULL_TIME: { description: '专职网格员: a full-time grid worker.' },
    PART_TIME: { description: '兼职网格员: a part-time grid worker.' },
    GRID_LEADER: { description: '网格长: the grid\'s leader, one a grid (assignGridWorker refuses a second: CONFLICT).' },
  },
});

/**
 * A registered person: a party member (in service, retired or mobile) or a non-party
 * staff member who also reports to their residence community (双报到).
 * Phone and ID number are personal data: stored, but only ever exposed masked.
 */
@ObjectType({ implements: NodeEntity, description: 'A registered person: a party member, or non-party staff who also reports to their community.' })
@Entity({ tableName: 'person' })
@Index({ properties: ['residenceCommunity', 'partyStatus'] })
export class Person extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 60 })
  @Index()
  name!: string;

  @Field(() => Gender, { nullable: true })
  @Enum({ items: () => Gender, nullable: true })
  gender?: Gender | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'smallint', nullable: true })
  birthYear?: number | null;

  /** Personal data: exposed masked only. */
  @Property({ type: 'string', length: 20, nullable: true })
  phone?: string | null;

  /** Personal data (居民身份证号): exposed masked only. */
  @Property({ type: 'string', length: 18, nullable: true })
  @Unique()
  idNumber?: string | null;

  @Field(() => PartyStatus, { nullable: true, description: 'Null for non-party staff.' })
  @Enum({ items: () => PartyStatus, nullable: true })
  partyStatus?: PartyStatus | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  joinedPartyOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When they reported to their residence community (双报到).' })
  @Property({ type: 'date', nullable: true })
  reportedOn?: string | null;

  @ManyToOne('Unit', { nullable: true, deleteRule: 'set null' })
  @Index()
  employerUnit?: Rel<Unit> | null;

  @ManyToOne('Community', { nullable: true, deleteRule: 'set null' })
  residenceCommunity?: Rel<Community> | null;

  /** The branch or group they are placed in (grid branch, building group, functional branch). */
  @ManyToOne('PartyOrganization', { nullable: true, deleteRule: 'set null' })
  @Index()
  organization?: Rel<PartyOrganization> | null;

  @Field({ description: 'True when partyStatus is set.' })
  get isPartyMember(): boolean {
    return this.partyStatus != null;
  }
}

/** A grid worker's assignment to a grid (网格员). A worker may cover several grids. */
@ObjectType({ implements: NodeEntity, description: '网格员: a person assigned to work a grid.' })
@Entity({ tableName: 'grid_assignment' })
@Unique({ properties: ['grid', 'person'] })
export class GridAssignment extends NodeEntity {
  @ManyToOne('Grid', { deleteRule: 'cascade' })
  grid!: Rel<Grid>;

  @ManyToOne(() => Person, { deleteRule: 'cascade' })
  @Index()
  person!: Rel<Person>;

  @Field(() => GridWorkerRole)
  @Enum({ items: () => GridWorkerRole })
  role!: GridWorkerRole;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startsOn?: string | null;
}
