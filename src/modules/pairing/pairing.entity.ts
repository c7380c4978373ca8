import { Entity, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Community } from '../area/area.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

/**
 * 结对共建: a unit paired with a community for a term, under a co-building agreement
 * (共驻共建协议) that lists the unit's duties.
 */
@ObjectType({ implements: NodeEntity, description: '结对共建: a unit paired with a community, with its agreement.' })
@Entity({ tableName: 'pairing' })
@Unique({ properties: ['unit', 'community', 'startsOn'] })
export class Pairing extends NodeEntity {
  @ManyToOne('Unit', { deleteRule: 'cascade' })
  unit!: Rel<Unit>;

  @ManyToOne('Community', { deleteRule: 'cascade' })
  @Index()
  community!: Rel<Community>;

  @Field(() => LocalDateResolver)
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day of the term; null while open-ended.' })
  @Property({ type: 'date', nullable: true })
  endsOn?: string | null;

  @Field({ description: 'Title of the co-building agreement.' })
  @FreeText()
  @Property({ type: 'string', length: 200 })
  agreementTitle!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  @Property({ type: 'date', nullable: true })
  agreementSignedOn?: string | null;

  @Field(() => [String], { description: 'The duties the agreement lists, in order.' })
  @FreeText()
  @Property({ type: 'json' })
  duties: string[] = [];
}
