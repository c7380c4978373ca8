import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { ResidentGroup } from '../../common/resident-group';
import type { Community } from '../area/area.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

export enum MicroWishStatus {
  PUBLISHED = 'PUBLISHED',
  CLAIMED = 'CLAIMED',
  FULFILLED = 'FULFILLED',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MicroWishStatus, {
  name: 'MicroWishStatus',
  description: 'PUBLISHED → CLAIMED → FULFILLED → CONFIRMED; or CANCELLED before fulfilment.',
  valuesConfig: {
    PUBLISHED: { description: 'Published, waiting for a claimant (back here when a member claimant moves away or leaves the party).' },
    CLAIMED: { description: '认领: claimed by one party member or one unit.' },
    FULFILLED: { description: 'The claimant has fulfilled it; waiting for the community\'s confirmation.' },
    CONFIRMED: { description: 'Confirmed by the community; a member claimant earns MICRO_WISH_FULFILLED points.' },
    CANCELLED: { description: 'Withdrawn before fulfilment.' },
  },
});

/** 微心愿: a small wish of a needy resident, claimed by one member or one unit. */
@ObjectType({ implements: NodeEntity, description: '微心愿: a small wish of a needy resident.' })
@Entity({ tableName: 'micro_wish' })
export class MicroWish extends NodeEntity {
  @ManyToOne('Community', { deleteRule: 'restrict' })
  @Index()
  community!: Rel<Community>;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Personal data: exposed masked only. */
  @Property({ type: 'string', length: 60, nullable: true })
  residentName?: string | null;

  @Field(() => ResidentGroup, { nullable: true })
  @Enum({ items: () => ResidentGroup, nullable: true })
  residentGroup?: ResidentGroup | null;

  @Field(() => Float, { nullable: true, description: 'Estimated value in yuan.' })
  @Property({ type: 'double', nullable: true })
  estimatedValue?: number | null;

  @Field(() => MicroWishStatus)
  @Enum({ items: () => MicroWishStatus })
  status!: MicroWishStatus;

  @ManyToOne('Person', { nullable: true, deleteRule: 'restrict' })
  claimantPerson?: Rel<Person> | null;

  @ManyToOne('Unit', { nullable: true, deleteRule: 'restrict' })
  claimantUnit?: Rel<Unit> | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  claimedAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  fulfilledAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  confirmedAt?: Date | null;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version!: number;
}
