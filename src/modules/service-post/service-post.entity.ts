import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { maskedCopyOf } from '../../common/privacy';
import type { Community } from '../area/area.entity';
import type { RequestCategory } from '../category/category.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

/** 双报到 for units: a unit registers with a community it serves. */
@ObjectType({ implements: NodeEntity, description: '单位报到: a unit registered with a community.' })
@Entity({ tableName: 'unit_registration' })
@Unique({ properties: ['unit', 'community'] })
export class UnitRegistration extends NodeEntity {
  @ManyToOne('Unit', { deleteRule: 'cascade' })
  unit!: Rel<Unit>;

  @ManyToOne('Community', { deleteRule: 'cascade' })
  @Index()
  community!: Rel<Community>;

  @Field(() => LocalDateResolver)
  @Property({ type: 'date' })
  registeredOn!: string;
}

/** 服务岗位: a post a community offers to reporting members (e.g. 楼栋长, 文明劝导员). */
@ObjectType({ implements: NodeEntity, description: '服务岗位: a service post members claim.' })
@Entity({ tableName: 'service_post' })
export class ServicePost extends NodeEntity {
  @ManyToOne('Community', { deleteRule: 'restrict' })
  @Index()
  community!: Rel<Community>;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 120 })
  title!: string;

  // What viewers without the personal-data right are shown of the title, kept for their search.
  @Property(maskedCopyOf('title'))
  titleMasked?: string & Opt;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @ManyToOne('RequestCategory', { nullable: true, deleteRule: 'restrict' })
  category?: Rel<RequestCategory> | null;

  @Field(() => Int, { description: 'How many members the post takes.' })
  @Property({ type: 'integer' })
  capacity!: number;
}

export enum PostClaimStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}
registerEnumType(PostClaimStatus, { name: 'PostClaimStatus' });

/** A member holding a service post. */
@ObjectType({ implements: NodeEntity, description: 'A member\'s claim on a service post.' })
@Entity({ tableName: 'post_claim' })
@Unique({ properties: ['post', 'person'] })
export class PostClaim extends NodeEntity {
  @ManyToOne(() => ServicePost, { deleteRule: 'restrict' })
  post!: Rel<ServicePost>;

  @ManyToOne('Person', { deleteRule: 'restrict' })
  @Index()
  person!: Rel<Person>;

  @Field(() => PostClaimStatus)
  @Enum({ items: () => PostClaimStatus })
  status!: PostClaimStatus;

  @Field(() => LocalDateResolver)
  @Property({ type: 'date' })
  claimedOn!: string;
}
