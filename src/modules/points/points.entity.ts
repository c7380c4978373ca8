import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Person } from '../person/person.entity';
import { FreeText } from '../../common/free-text-field';

/** What points are earned or spent for; how many is data (PointRule). */
export enum PointKind {
  REQUEST_RESOLVED = 'REQUEST_RESOLVED',
  CLAIM_CONFIRMED = 'CLAIM_CONFIRMED',
  ACTIVITY_ATTENDED = 'ACTIVITY_ATTENDED',
  MICRO_WISH_FULFILLED = 'MICRO_WISH_FULFILLED',
  SERVICE_REDEEMED = 'SERVICE_REDEEMED',
}
registerEnumType(PointKind, {
  name: 'PointKind',
  description: 'Earned for verified work (REQUEST_RESOLVED, CLAIM_CONFIRMED, ACTIVITY_ATTENDED, MICRO_WISH_FULFILLED); spent as SERVICE_REDEEMED.',
  valuesConfig: {
    REQUEST_RESOLVED: { description: 'Earned: a request the member resolved, rated 3 or more by someone else; once per request and member.' },
    CLAIM_CONFIRMED: { description: 'Earned: a list-item claim the member carried out, confirmed by the community.' },
    ACTIVITY_ATTENDED: { description: 'Earned: the member\'s attendance at an activity, recorded.' },
    MICRO_WISH_FULFILLED: { description: 'Earned: a micro-wish the member claimed and fulfilled, confirmed by the community.' },
    SERVICE_REDEEMED: { description: '以积分换服务: points spent on a service (a negative entry, never more than the balance).' },
  },
});

/** 积分规则: points per kind of verified work, editable as data. */
@ObjectType({ implements: NodeEntity, description: '积分规则: how many points a kind of verified work earns.' })
@Entity({ tableName: 'point_rule' })
export class PointRule extends NodeEntity {
  @Field(() => PointKind)
  @Enum({ items: () => PointKind })
  @Index()
  kind!: PointKind;

  @Field(() => Int)
  @Property({ type: 'integer' })
  points!: number;

  @Field()
  @Property({ type: 'string', length: 120 })
  description!: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;
}

/**
 * 积分台账: one entry of a person's points; earning entries name their source once
 * (unique source), so the same work never earns twice. Balance = sum of amounts, never < 0.
 */
@ObjectType({ implements: NodeEntity, description: '积分台账 entry: points earned (positive) or spent (negative).' })
@Entity({ tableName: 'point_entry' })
@Unique({ properties: ['person', 'kind', 'sourceType', 'sourceId'] })
export class PointEntry extends NodeEntity {
  @ManyToOne('Person', { deleteRule: 'restrict' })
  @Index()
  person!: Rel<Person>;

  @Field(() => PointKind)
  @Enum({ items: () => PointKind })
  kind!: PointKind;

  @Field(() => Int)
  @Property({ type: 'integer' })
  amount!: number;

  @Field({ description: 'What earned or spent it, e.g. Request, Claim, Activity, Redemption.' })
  @Property({ type: 'string', length: 40 })
  sourceType!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  sourceId!: number;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'string', length: 200, nullable: true })
  note?: string | null;
}
