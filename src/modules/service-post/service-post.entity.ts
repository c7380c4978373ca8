import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
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
registerEnumType(PostClaimStatus, {
  name: 'PostClaimStatus',
  valuesConfig: {
    ACTIVE: { description: 'The post is held now.' },
    ENDED: { description: 'Ended by its holder, or by the end of their report (双报到), for good: taking the post again is a new claim.' },
  },
});

/**
 * A member holding a service post, from claimedOn until endedOn. A claim that ended stays as the
 * record of when the post was held (a past year's member assessment reads it); taking the post
 * again is a new claim, so a person holds a post at most once at a time (the partial unique index).
 */
@ObjectType({ implements: NodeEntity, description: 'A member\'s claim on a service post, from claimedOn until endedOn.' })
@Entity({ tableName: 'post_claim' })
@Index({
  name: 'post_claim_active_unique',
  expression: `create unique index "post_claim_active_unique" on "post_claim" ("post_id", "person_id") where "status" = 'ACTIVE'`,
})
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

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day (China time) the claim ended; null while the post is held.' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;
}

/**
 * A 双报到 report that ended (the member moved, retired or left their employer), or the stretch of a
 * current one through an employer the member has since left (report-end.ts): who reported to which
 * community, through which employer, from when until when. The current report is person.reportedOn;
 * this keeps the ended ones, so a past year's member assessment still counts a member who reported
 * then, as staff of the employer they reported through then.
 */
@Entity({ tableName: 'past_report' })
@Index({ properties: ['community', 'endedOn'] })
export class PastReport {
  @PrimaryKey()
  id!: number;

  @ManyToOne('Person', { deleteRule: 'cascade' })
  @Index()
  person!: Rel<Person>;

  @ManyToOne('Community', { deleteRule: 'restrict' })
  community!: Rel<Community>;

  /** The employer they reported through (双报到 is through one): the workplace that year's assessment goes to. */
  @ManyToOne('Unit', { nullable: true, deleteRule: 'set null' })
  employerUnit?: Rel<Unit> | null;

  @Property({ type: 'date' })
  reportedOn!: string;

  @Property({ type: 'date' })
  endedOn!: string;

  /**
   * A stretch of a report that goes on: the member changed employer while reported
   * (splitReportAtEmployerChange), and this stretch began at an earlier such change, not with a
   * report. What counts the members who reported in a period (the dashboard) skips it.
   */
  @Property({ type: 'boolean', default: false })
  beganAtEmployerChange: boolean & Opt = false;
}
