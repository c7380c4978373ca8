import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';

/**
 * A two-level catalogue of request categories (the 13 kinds of grid work and the common
 * one-window categories). Deadlines are per level, in hours; a second-level category
 * without its own deadline uses its parent's.
 */
@ObjectType({ implements: NodeEntity, description: 'Request category (two levels).' })
@Entity({ tableName: 'request_category' })
export class RequestCategory extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'string', length: 60 })
  @Index()
  name!: string;

  @ManyToOne(() => RequestCategory, { nullable: true, deleteRule: 'restrict' })
  @Index()
  parent?: Rel<RequestCategory> | null;

  @Field(() => Int, { nullable: true, description: 'Hours allowed at community level (限时办结).' })
  @Property({ type: 'integer', nullable: true })
  communityHours?: number | null;

  @Field(() => Int, { nullable: true, description: 'Hours allowed at street level.' })
  @Property({ type: 'integer', nullable: true })
  streetHours?: number | null;

  @Field(() => Int, { nullable: true, description: 'Hours allowed at district level.' })
  @Property({ type: 'integer', nullable: true })
  districtHours?: number | null;

  @Field({ description: 'Inactive categories stay on old requests but take no new ones.' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;
}
