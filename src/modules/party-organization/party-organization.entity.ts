import { FreeText } from '../../common/free-text-field';
import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Area } from '../area/area.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';

/** 党委 / 党总支 / 党支部 / 党小组. */
export enum PartyOrganizationKind {
  COMMITTEE = 'COMMITTEE',
  GENERAL_BRANCH = 'GENERAL_BRANCH',
  BRANCH = 'BRANCH',
  GROUP = 'GROUP',
}
registerEnumType(PartyOrganizationKind, {
  name: 'PartyOrganizationKind',
  description: '党委 COMMITTEE, 党总支 GENERAL_BRANCH, 党支部 BRANCH, 党小组 GROUP.',
  valuesConfig: {
    COMMITTEE: { description: '党委: a party committee (e.g. a community party committee).' },
    GENERAL_BRANCH: { description: '党总支: a general branch.' },
    BRANCH: { description: '党支部: a branch (e.g. a grid branch); a reported member may be placed in one.' },
    GROUP: { description: '党小组: a party group (e.g. a building group), the smallest cell: no child organisations; a reported member may be placed in one.' },
  },
});

/**
 * A party organisation attached to an area: a community committee, a grid branch,
 * a building group, or a functional branch (功能型党支部: retirees, mobile members,
 * volunteers) that is organised by purpose rather than by place.
 */
@ObjectType({ implements: NodeEntity, description: '党组织' })
@Entity({ tableName: 'party_organization' })
export class PartyOrganization extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 120 })
  @Index()
  name!: string;

  @Field({ description: 'Unique organisation code.' })
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field(() => PartyOrganizationKind)
  @Enum({ items: () => PartyOrganizationKind })
  kind!: PartyOrganizationKind;

  @Field({ description: '功能型党支部: organised by purpose (retirees, mobile members, a trade) rather than place.' })
  @Property({ type: 'boolean', default: false })
  functional: boolean = false;

  @Field(() => String, { nullable: true, description: 'What a functional branch is for, e.g. 流动党员.' })
  @FreeText()
  @Property({ type: 'string', length: 100, nullable: true })
  functionDescription?: string | null;

  @ManyToOne('Area', { deleteRule: 'restrict' })
  @Index()
  area!: Rel<Area>;

  @ManyToOne(() => PartyOrganization, { nullable: true, deleteRule: 'restrict' })
  @Index()
  parent?: Rel<PartyOrganization> | null;

  @ManyToOne('Person', { nullable: true, deleteRule: 'set null' })
  secretary?: Rel<Person> | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  establishedOn?: string | null;
}

/** 兼职委员: someone from a unit who holds a part-time seat on a party organisation. */
@ObjectType({ implements: NodeEntity, description: '兼职委员: a part-time member seat held by someone from a unit.' })
@Entity({ tableName: 'part_time_member' })
@Unique({ properties: ['organization', 'person'] })
export class PartTimeMember extends NodeEntity {
  @ManyToOne(() => PartyOrganization, { deleteRule: 'cascade' })
  organization!: Rel<PartyOrganization>;

  @ManyToOne('Person', { deleteRule: 'cascade' })
  @Index()
  person!: Rel<Person>;

  @ManyToOne('Unit', { nullable: true, deleteRule: 'set null' })
  unit?: Rel<Unit> | null;

  @Field({ description: 'Seat title, e.g. 兼职副书记, 兼职委员.' })
  @FreeText()
  @Property({ type: 'string', length: 60 })
  title!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  startsOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  endsOn?: string | null;
}
