import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import type { Area } from '../area/area.entity';
import type { ListItem } from '../list/list.entity';
import type { Request } from '../request/request.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

/**
 * 吹哨报到: a community (or street) blows a whistle on a request or a problem to
 * departments. One whistle, one letter (`letter`), one ledger (the request's events,
 * or the recipients' timestamps), one feedback per department (WhistleRecipient).
 */
@ObjectType({ implements: NodeEntity, description: '吹哨: a whistle blown to departments, who must report and feed back.' })
@Entity({ tableName: 'whistle' })
export class Whistle extends NodeEntity {
  @ManyToOne('Request', { nullable: true, deleteRule: 'restrict' })
  @Index()
  request?: Rel<Request> | null;

  @ManyToOne('ListItem', { nullable: true, deleteRule: 'restrict' })
  @Index()
  problem?: Rel<ListItem> | null;

  /** The community or street that blew it. */
  @ManyToOne('Area', { deleteRule: 'restrict' })
  @Index()
  blownBy!: Rel<Area>;

  @Field({ description: 'The letter (函) sent to the departments.' })
  @FreeText()
  @Property({ type: 'text' })
  letter!: string;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  blownAt!: Date;

  /** Set once, by the step that finishes the matter (whistle.rules.ts, REQUEST_STATUSES_ENDING_WHISTLES). */
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When the matter was finished (the request closed out or rejected, the problem closed): the departments\' clock stopped then. A deadline not passed by then no longer counts; one passed before stays missed.',
  })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  stoppedAt?: Date | null;
}

export enum WhistleResponseStatus {
  AWAITING_REPORT = 'AWAITING_REPORT',
  REPORTED = 'REPORTED',
  ANSWERED = 'ANSWERED',
}
registerEnumType(WhistleResponseStatus, {
  name: 'WhistleResponseStatus',
  description: 'AWAITING_REPORT → REPORTED (报到: acknowledged) → ANSWERED (反馈: fed back).',
  valuesConfig: {
    AWAITING_REPORT: { description: 'Called, not yet reported (报到): due by reportDueAt.' },
    REPORTED: { description: '报到: the department has acknowledged the whistle; its feedback (反馈) is due by feedbackDueAt.' },
    ANSWERED: { description: '反馈: the department has fed back; its part is done.' },
  },
});

/** One department's duty under a whistle: report by one deadline, feed back by another. */
@ObjectType({ implements: NodeEntity, description: 'A department called by a whistle, and how it answered.' })
@Entity({ tableName: 'whistle_recipient' })
@Unique({ properties: ['whistle', 'unit'] })
export class WhistleRecipient extends NodeEntity {
  @ManyToOne(() => Whistle, { deleteRule: 'cascade' })
  whistle!: Rel<Whistle>;

  @ManyToOne('Unit', { deleteRule: 'restrict' })
  @Index()
  unit!: Rel<Unit>;

  @Field(() => WhistleResponseStatus)
  @Enum({ items: () => WhistleResponseStatus })
  status!: WhistleResponseStatus;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  reportDueAt!: Date;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  feedbackDueAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reportedAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  answeredAt?: Date | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  feedback?: string | null;
}
