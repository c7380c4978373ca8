import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Area } from '../area/area.entity';
import type { PartyOrganization } from '../party-organization/party-organization.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

/** The alliance models in the source articles. */
export enum AllianceModel {
  ONE_THREE_N = 'ONE_THREE_N',
  ONE_N_X = 'ONE_N_X',
  BIG_PARTY_COMMITTEE = 'BIG_PARTY_COMMITTEE',
}
registerEnumType(AllianceModel, {
  name: 'AllianceModel',
  description: '"1+3+N" ONE_THREE_N (Guanyun), "1+N+X" ONE_N_X (Chancheng), 大党委 BIG_PARTY_COMMITTEE (Kuitun).',
  valuesConfig: {
    ONE_THREE_N: { description: '"1+3+N" (Guanyun): the community party organisation, police, owners\' committee and property company, and N units; on a community.' },
    ONE_N_X: { description: '"1+N+X" (Chancheng): the lead organisation, N in-area and X out-of-area organisations; on a community.' },
    BIG_PARTY_COMMITTEE: { description: '大党委 (Kuitun): a big party committee with part-time members from units; on a community or a street.' },
  },
});

export enum AllianceRole {
  CORE = 'CORE',
  POLICE = 'POLICE',
  OWNERS_COMMITTEE = 'OWNERS_COMMITTEE',
  PROPERTY = 'PROPERTY',
  IN_AREA = 'IN_AREA',
  OUT_OF_AREA = 'OUT_OF_AREA',
}
registerEnumType(AllianceRole, {
  name: 'AllianceRole',
  description: 'CORE is the "1" (the leading party organisation\'s unit); POLICE, OWNERS_COMMITTEE and PROPERTY are the "3"; IN_AREA / OUT_OF_AREA are the "N" / "X".',
  valuesConfig: {
    CORE: { description: 'The "1": the leading party organisation\'s unit; one per alliance.' },
    POLICE: { description: 'One of the "3": the police (a POLICE_STATION unit).' },
    OWNERS_COMMITTEE: { description: 'One of the "3": the owners\' committee (业委会; an OWNERS_COMMITTEE unit).' },
    PROPERTY: { description: 'One of the "3": the property company (物业; a PROPERTY_COMPANY unit).' },
    IN_AREA: { description: 'The "N": a unit in the area (驻区单位), of any kind.' },
    OUT_OF_AREA: { description: 'The "X": a unit from outside the area, of any kind.' },
  },
});

/** 党建联盟: a community's (or street's) alliance of units under a leading party organisation. */
@ObjectType({ implements: NodeEntity, description: '党建联盟 "1+3+N", "1+N+X" or 大党委.' })
@Entity({ tableName: 'alliance' })
export class Alliance extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 120 })
  name!: string;

  @Field(() => AllianceModel)
  @Enum({ items: () => AllianceModel })
  model!: AllianceModel;

  /** The community (or street, for a big party committee) whose alliance this is; one per area. */
  @ManyToOne('Area', { deleteRule: 'restrict', unique: true })
  area!: Rel<Area>;

  @ManyToOne('PartyOrganization', { nullable: true, deleteRule: 'set null' })
  leadOrganization?: Rel<PartyOrganization> | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  establishedOn?: string | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  description?: string | null;
}

/** A unit's seat in an alliance, with its role and, optionally, a part-time seat on the community's party organisation. */
@ObjectType({ implements: NodeEntity, description: 'A unit in an alliance, with its role.' })
@Entity({ tableName: 'alliance_member' })
@Unique({ properties: ['alliance', 'unit'] })
export class AllianceMember extends NodeEntity {
  @ManyToOne(() => Alliance, { deleteRule: 'cascade' })
  alliance!: Rel<Alliance>;

  @ManyToOne('Unit', { deleteRule: 'cascade' })
  @Index()
  unit!: Rel<Unit>;

  @Field(() => AllianceRole)
  @Enum({ items: () => AllianceRole })
  role!: AllianceRole;

  @Field(() => String, { nullable: true, description: 'Part-time seat title held for the unit, e.g. 兼职委员.' })
  @FreeText()
  @Property({ type: 'string', length: 60, nullable: true })
  seatTitle?: string | null;

  @ManyToOne('Person', { nullable: true, deleteRule: 'set null' })
  seatHolder?: Rel<Person> | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  joinedOn?: string | null;
}
