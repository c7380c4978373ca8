import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver, GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { ORDER_TIMESTAMP } from '../../common/pagination';
import { maskedCopyOf } from '../../common/privacy';
import { ResidentGroup } from '../../common/resident-group';
import type { Area } from '../area/area.entity';
import type { RequestCategory } from '../category/category.entity';
import type { Person } from '../person/person.entity';
import type { Unit } from '../unit/unit.entity';
import { AccountName, FreeText } from '../../common/free-text-field';

export enum RequestChannel {
  COUNTER = 'COUNTER',
  VISIT = 'VISIT',
  DOOR_KNOCKING = 'DOOR_KNOCKING',
  GRID_PATROL = 'GRID_PATROL',
  HOTLINE_12345 = 'HOTLINE_12345',
  WECHAT_GROUP = 'WECHAT_GROUP',
  MINI_PROGRAM = 'MINI_PROGRAM',
}
registerEnumType(RequestChannel, {
  name: 'RequestChannel',
  description: '一门式窗口 COUNTER, 走访 VISIT, 入户 DOOR_KNOCKING, 网格巡查 GRID_PATROL, 12345热线 HOTLINE_12345, 微信群 WECHAT_GROUP, 小程序 MINI_PROGRAM.',
  valuesConfig: {
    COUNTER: { description: '一门式窗口: at a one-window service counter.' },
    VISIT: { description: '走访: raised during a visit.' },
    DOOR_KNOCKING: { description: '入户: raised on a door-to-door household visit.' },
    GRID_PATROL: { description: '网格巡查: found on a grid patrol.' },
    HOTLINE_12345: { description: '12345热线: the 12345 citizen hotline.' },
    WECHAT_GROUP: { description: '微信群: a WeChat group.' },
    MINI_PROGRAM: { description: '小程序: a mini program.' },
  },
});

/** The closed loop; the legal moves between these live in request.states.ts only. */
export enum RequestStatus {
  ORDERED = 'ORDERED',
  DISPATCHED = 'DISPATCHED',
  TAKEN = 'TAKEN',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  REJECTED = 'REJECTED',
  RETURNED = 'RETURNED',
  SUSPENDED = 'SUSPENDED',
  REOPENED = 'REOPENED',
}
registerEnumType(RequestStatus, {
  name: 'RequestStatus',
  description: 'Resident orders (ORDERED) → branch dispatches (DISPATCHED) → member takes (TAKEN) → IN_PROGRESS → RESOLVED → close-out (CLOSED). Also REJECTED, RETURNED, SUSPENDED, REOPENED.',
  valuesConfig: {
    ORDERED: { description: '居民点单: received (or just escalated), waiting for the owning level to dispatch it; its deadline clock runs.' },
    DISPATCHED: { description: '支部派单: sent to a party member or a unit, waiting for them to take it.' },
    TAKEN: { description: '党员接单: taken by the assignee (for a unit, by a person working there).' },
    IN_PROGRESS: { description: 'The assignee has started work on it.' },
    RESOLVED: { description: '办结: resolved by the assignee; the resident may rate it, the owning level closes it out, or it is reopened within 7 days.' },
    CLOSED: { description: '销号: closed out by the owning level (or one above); it stops the whistles blown on it. Reopened only within 7 days of resolution.' },
    REJECTED: { description: 'Turned away by the owning level, with a reason, when received (ORDERED) or handed back (RETURNED); final, and it stops the whistles blown on it.' },
    RETURNED: { description: 'Handed back by the assignee with a reason; the owning level dispatches it again, rejects or escalates it.' },
    SUSPENDED: { description: 'On hold (waiting on the resident, the weather, a part): the deadline clock stops; resuming returns it to its status before.' },
    REOPENED: { description: 'The resident was not satisfied: back in the owning level\'s queue with a fresh deadline, to be dispatched again.' },
  },
});

/** 三级联动: who owns the request. */
export enum RequestLevel {
  COMMUNITY = 'COMMUNITY',
  STREET = 'STREET',
  DISTRICT = 'DISTRICT',
}
registerEnumType(RequestLevel, {
  name: 'RequestLevel',
  description: '三级联动: 社区 COMMUNITY → 街道 STREET → 区 DISTRICT.',
  valuesConfig: {
    COMMUNITY: { description: '社区: the community owns it; every request starts here.' },
    STREET: { description: '街道: escalated from the community to the street.' },
    DISTRICT: { description: '区: escalated from the street to the district; the top level, not escalated further.' },
  },
});

/** A resident's request (群众诉求) and where it stands. Its history is the ledger (RequestEvent). */
@ObjectType({ implements: NodeEntity, description: '群众诉求: a resident request in its closed loop.' })
@Entity({ tableName: 'request' })
@Index({ properties: ['status', 'dueAt'] })
// The requests that came in within a year: those assessments date by arrival (request.states.ts, assignableWithinSql).
@Index({ properties: ['createdAt'] })
// Only suspend sets suspendedAt and only resume (the one way out of SUSPENDED) clears it (request.service.ts).
@Check({ name: 'request_suspended_at_check', expression: `("status" = 'SUSPENDED') = ("suspended_at" is not null)` })
export class Request extends NodeEntity {
  @Field({ description: 'Human-readable number, e.g. QC-20261122-0001.' })
  @Property({ type: 'string', length: 32, unique: true })
  number!: string;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field({ description: 'The request in the resident\'s words.' })
  @FreeText()
  @Property({ type: 'text' })
  body!: string;

  // What viewers without the personal-data right are shown of title and body, kept for their search.
  @Property(maskedCopyOf('title'))
  titleMasked?: string & Opt;

  @Property(maskedCopyOf('body'))
  bodyMasked?: string & Opt;

  @Field(() => RequestChannel)
  @Enum({ items: () => RequestChannel })
  channel!: RequestChannel;

  @ManyToOne('RequestCategory', { deleteRule: 'restrict' })
  @Index()
  category!: Rel<RequestCategory>;

  /** The smallest known area: building, grid or community. */
  @ManyToOne('Area', { deleteRule: 'restrict' })
  @Index()
  area!: Rel<Area>;

  @Field(() => ResidentGroup, { nullable: true })
  @Enum({ items: () => ResidentGroup, nullable: true })
  residentGroup?: ResidentGroup | null;

  /** Personal data: exposed masked only. */
  @Property({ type: 'string', length: 60, nullable: true })
  residentName?: string | null;

  /** Personal data: exposed masked only. */
  @Property({ type: 'string', length: 20, nullable: true })
  residentPhone?: string | null;

  @Field(() => RequestStatus)
  @Enum({ items: () => RequestStatus })
  @Index()
  status!: RequestStatus;

  /** Where a SUSPENDED request goes back to on resume. */
  @Enum({ items: () => RequestStatus, nullable: true })
  statusBeforeSuspension?: RequestStatus | null;

  @Field(() => RequestLevel)
  @Enum({ items: () => RequestLevel })
  level!: RequestLevel;

  @ManyToOne('Person', { nullable: true, deleteRule: 'set null' })
  @Index()
  assigneePerson?: Rel<Person> | null;

  @ManyToOne('Unit', { nullable: true, deleteRule: 'set null' })
  @Index()
  assigneeUnit?: Rel<Unit> | null;

  @Field(() => DateTimeISOResolver, { description: 'When the owning level must have resolved it; on resume it moves by the time suspended.' })
  @Property({ type: 'datetime', columnType: ORDER_TIMESTAMP })
  dueAt!: Date;

  /**
   * The assignee's own due time, when it is not `dueAt`: they got the request with less than the
   * category's time left, or already past it, and have the category's time from then
   * (request.states.ts, assigneeDueAt). Read it through assigneeDueAt.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  assigneeDueAt?: Date | null;

  /** When the deadline clock stopped: set exactly while SUSPENDED (a CHECK holds it). */
  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  suspendedAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'The resident\'s rating, 1-5.' })
  @Property({ type: 'smallint', nullable: true })
  satisfaction?: number | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  ratingComment?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, returned or escalated last.' })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  lastReason?: string | null;

  /** Optimistic lock: two conflicting writers cannot both succeed. */
  @Field(() => Int, { description: 'Increases with every change; pass it back as expectedVersion to act on what you saw.' })
  @Property({ type: 'integer', version: true })
  version!: number;
}

export enum RequestEventKind {
  CREATED = 'CREATED',
  DISPATCHED = 'DISPATCHED',
  TAKEN = 'TAKEN',
  STARTED = 'STARTED',
  RESOLVED = 'RESOLVED',
  RATED = 'RATED',
  CLOSED_OUT = 'CLOSED_OUT',
  REJECTED = 'REJECTED',
  RETURNED = 'RETURNED',
  SUSPENDED = 'SUSPENDED',
  RESUMED = 'RESUMED',
  REOPENED = 'REOPENED',
  ESCALATED = 'ESCALATED',
  WHISTLE_BLOWN = 'WHISTLE_BLOWN',
  WHISTLE_REPORTED = 'WHISTLE_REPORTED',
  WHISTLE_FEEDBACK = 'WHISTLE_FEEDBACK',
  COMMENTED = 'COMMENTED',
}
registerEnumType(RequestEventKind, {
  name: 'RequestEventKind',
  valuesConfig: {
    CREATED: { description: '居民点单: the request was received, at community level.' },
    DISPATCHED: { description: '派单: dispatched to a party member or a unit.' },
    TAKEN: { description: '接单: taken by the assignee.' },
    STARTED: { description: 'Work started (IN_PROGRESS).' },
    RESOLVED: { description: '办结: resolved by the assignee.' },
    RATED: { description: '满意度: the resident rated the outcome; a rating of 3 or more earns the assigned member REQUEST_RESOLVED points.' },
    CLOSED_OUT: { description: '销号: closed out by the owning level.' },
    REJECTED: { description: 'Turned away by the owning level, with a reason.' },
    RETURNED: { description: 'Handed back by the assignee, with a reason.' },
    SUSPENDED: { description: 'Suspended, with a reason: the deadline clock stopped.' },
    RESUMED: { description: 'Resumed: back to its status before suspension, its deadlines moved by the time suspended.' },
    REOPENED: { description: 'Reopened after resolution (within 7 days), with a fresh deadline.' },
    ESCALATED: { description: '三级联动: handed up to the next level, which dispatches it afresh with its own deadline.' },
    WHISTLE_BLOWN: { description: '吹哨: a whistle was blown on it to departments.' },
    WHISTLE_REPORTED: { description: '报到: a called department reported.' },
    WHISTLE_FEEDBACK: { description: '反馈: a called department fed back.' },
    COMMENTED: { description: 'A comment; nothing else changed.' },
  },
});

/**
 * One append-only ledger entry (台账). Never updated or deleted (a trigger refuses it);
 * replaying a request's entries in `sequence` order gives its current state.
 */
@ObjectType({ implements: NodeEntity, description: 'A ledger entry: who did what to a request, when.' })
@Entity({ tableName: 'request_event' })
@Unique({ properties: ['request', 'sequence'] })
// The entries that made someone the assignee, by time: a year's, for its assessments (request.states.ts, assignableWithinSql).
@Index({
  name: 'request_event_assigned_at_index',
  expression: `create index "request_event_assigned_at_index" on "request_event" ("created_at") where ("data"->'set'->>'assigneePersonId') is not null or ("data"->'set'->>'assigneeUnitId') is not null`,
})
export class RequestEvent extends NodeEntity {
  @ManyToOne(() => Request, { deleteRule: 'restrict' })
  request!: Rel<Request>;

  @Field(() => Int, { description: '1, 2, 3, … per request.' })
  @Property({ type: 'integer' })
  sequence!: number;

  @Field(() => RequestEventKind)
  @Enum({ items: () => RequestEventKind })
  kind!: RequestEventKind;

  @Field({ description: 'Who acted: account:<name> (masked, account:z*******, for viewers who may not see personal data), portal:<key prefix>, or anonymous.' })
  @AccountName()
  @Property({ type: 'string', length: 100 })
  actor!: string;

  @Field(() => RequestStatus, { nullable: true })
  @Enum({ items: () => RequestStatus, nullable: true })
  fromStatus?: RequestStatus | null;

  @Field(() => RequestStatus, { nullable: true })
  @Enum({ items: () => RequestStatus, nullable: true })
  toStatus?: RequestStatus | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'What changed besides the status (assignee, level, due time, rating, whistle).' })
  @FreeText()
  @Property({ type: 'json' })
  data: Record<string, unknown> = {};
}
