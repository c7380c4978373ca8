import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { ORDER_TIMESTAMP } from '../../common/pagination';
import type { Community } from '../area/area.entity';
import type { PartyOrganization } from '../party-organization/party-organization.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

export enum ActivityKind {
  THEME_PARTY_DAY = 'THEME_PARTY_DAY',
  WEEKLY_MENU = 'WEEKLY_MENU',
  VOLUNTEER_SERVICE = 'VOLUNTEER_SERVICE',
  STUDY = 'STUDY',
  MEETING = 'MEETING',
}
registerEnumType(ActivityKind, {
  name: 'ActivityKind',
  description: '主题党日 THEME_PARTY_DAY, 每周活动菜单 WEEKLY_MENU, 志愿服务 VOLUNTEER_SERVICE, 学习 STUDY, 会议 MEETING.',
  valuesConfig: {
    THEME_PARTY_DAY: { description: '主题党日: a party theme day.' },
    WEEKLY_MENU: { description: '每周活动菜单: an activity of the weekly activity menu.' },
    VOLUNTEER_SERVICE: { description: '志愿服务: volunteer service.' },
    STUDY: { description: '学习: a study session.' },
    MEETING: { description: '会议: a meeting.' },
  },
});

@ObjectType({ implements: NodeEntity, description: 'An activity members sign up for and attend.' })
@Entity({ tableName: 'activity' })
export class Activity extends NodeEntity {
  @ManyToOne('Community', { deleteRule: 'restrict' })
  @Index()
  community!: Rel<Community>;

  @ManyToOne('PartyOrganization', { nullable: true, deleteRule: 'set null' })
  organizer?: Rel<PartyOrganization> | null;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => ActivityKind)
  @Enum({ items: () => ActivityKind })
  kind!: ActivityKind;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: ORDER_TIMESTAMP })
  @Index()
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  endsAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Most sign-ups it takes; null for no limit.' })
  @Property({ type: 'integer', nullable: true })
  capacity?: number | null;
}

/** A sign-up, and attendance once verified. */
@ObjectType({ implements: NodeEntity, description: 'A sign-up for an activity, with attendance.' })
@Entity({ tableName: 'activity_participation' })
@Unique({ properties: ['activity', 'person'] })
export class ActivityParticipation extends NodeEntity {
  @ManyToOne(() => Activity, { deleteRule: 'cascade' })
  activity!: Rel<Activity>;

  @ManyToOne('Person', { deleteRule: 'restrict' })
  @Index()
  person!: Rel<Person>;

  /** The unit the person came for (their employer when they signed up): activity record cards count by it. */
  @ManyToOne('Unit', { nullable: true, deleteRule: 'set null' })
  @Index()
  unit?: Rel<Unit> | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  attendedAt?: Date | null;
}
