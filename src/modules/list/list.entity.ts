import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { maskedCopyOf } from '../../common/privacy';
import type { Community } from '../area/area.entity';
import type { Person } from '../person/person.entity';
import type { RequestCategory } from '../category/category.entity';
import type { Request } from '../request/request.entity';
import type { Unit } from '../unit/unit.entity';
import { FreeText } from '../../common/free-text-field';

/** 四项清单: 资源 / 需求 / 服务 / 问题. */
export enum ListItemKind {
  RESOURCE = 'RESOURCE',
  DEMAND = 'DEMAND',
  SERVICE = 'SERVICE',
  PROBLEM = 'PROBLEM',
}
registerEnumType(ListItemKind, {
  name: 'ListItemKind',
  description: '资源 RESOURCE (a unit offers), 需求 DEMAND (residents need), 服务 SERVICE (the community asks units to take on), 问题 PROBLEM (inspection found).',
  valuesConfig: {
    RESOURCE: { description: '资源清单: what a unit offers (money, a venue, hours, goods); claims draw on it.' },
    DEMAND: { description: '需求清单: what residents need (possibly drawn from a request); units claim it.' },
    SERVICE: { description: '服务清单: what the community asks units to take on; units claim it.' },
    PROBLEM: { description: '问题清单: what inspection found, to be solved by dueAt; closed out (销号), not claimed.' },
  },
});

export enum ResourceType {
  MONEY = 'MONEY',
  VENUE = 'VENUE',
  STAFF_HOURS = 'STAFF_HOURS',
  EXPERTISE = 'EXPERTISE',
  GOODS = 'GOODS',
}
registerEnumType(ResourceType, {
  name: 'ResourceType',
  valuesConfig: {
    MONEY: { description: '资金: cash; its quantity is in yuan.' },
    VENUE: { description: '场地: a venue; its quantity is in m².' },
    STAFF_HOURS: { description: 'Staff time; its quantity is in hours.' },
    EXPERTISE: { description: 'Professional expertise; its quantity is in hours.' },
    GOODS: { description: '物资: goods; its quantity is in pieces.' },
  },
});

export enum ListItemStatus {
  OPEN = 'OPEN',
  CLAIMED = 'CLAIMED',
  DELIVERED = 'DELIVERED',
  CLOSED = 'CLOSED',
}
registerEnumType(ListItemStatus, {
  name: 'ListItemStatus',
  valuesConfig: {
    OPEN: { description: 'Not claimed. RESOURCE and PROBLEM items are never claimed: a PROBLEM item stays OPEN until closed out.' },
    CLAIMED: { description: 'A unit has claimed this SERVICE or DEMAND item (认领); OPEN again if the claim is cancelled.' },
    DELIVERED: { description: 'The claiming unit has delivered; waiting for the community\'s confirmation.' },
    CLOSED: { description: 'Done: its claim confirmed, or a PROBLEM item closed out (销号); it can no longer change.' },
  },
});

/** A community's four lists for one period (e.g. 2026-11 or 2026-Q4). */
@ObjectType({ implements: NodeEntity, description: 'A community\'s four lists (resources, demands, services, problems) for one period.' })
@Entity({ tableName: 'problem_list' })
@Unique({ properties: ['community', 'period'] })
export class ProblemList extends NodeEntity {
  @ManyToOne('Community', { deleteRule: 'restrict' })
  community!: Rel<Community>;

  @Field({ description: 'Period label: YYYY-MM, YYYY-Qn or YYYY.' })
  @Property({ type: 'string', length: 10 })
  period!: string;

  @Field(() => LocalDateResolver)
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => LocalDateResolver)
  @Property({ type: 'date' })
  endsOn!: string;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 120 })
  title!: string;
}

/** One line of the four lists. */
@ObjectType({ implements: NodeEntity, description: 'One item of the four lists.' })
@Entity({ tableName: 'list_item' })
@Index({ properties: ['list', 'kind'] })
// A request is on a list once (the service checks first; this holds under concurrency).
@Index({
  name: 'list_item_list_source_request_unique',
  expression: 'create unique index "list_item_list_source_request_unique" on "list_item" ("list_id", "source_request_id") where "source_request_id" is not null',
})
export class ListItem extends NodeEntity {
  @ManyToOne(() => ProblemList, { deleteRule: 'restrict' })
  list!: Rel<ProblemList>;

  @Field(() => ListItemKind)
  @Enum({ items: () => ListItemKind })
  kind!: ListItemKind;

  @Field()
  @FreeText()
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  // What viewers without the personal-data right are shown of title and description, kept for their search.
  @Property(maskedCopyOf('title'))
  titleMasked?: string & Opt;

  @Property(maskedCopyOf('description'))
  descriptionMasked?: string & Opt;

  @ManyToOne('RequestCategory', { nullable: true, deleteRule: 'restrict' })
  @Index()
  category?: Rel<RequestCategory> | null;

  /** For RESOURCE items: the unit offering it. */
  @ManyToOne('Unit', { nullable: true, deleteRule: 'restrict' })
  @Index()
  unit?: Rel<Unit> | null;

  @Field(() => ResourceType, { nullable: true })
  @Enum({ items: () => ResourceType, nullable: true })
  resourceType?: ResourceType | null;

  @Field(() => Float, { nullable: true, description: 'How much (hours, square metres, pieces …).' })
  @Property({ type: 'double', nullable: true })
  quantity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value in yuan, of the whole quantity (not per unit). For MONEY the amount offered is its quantity.' })
  @Property({ type: 'double', nullable: true })
  value?: number | null;

  /** For DEMAND items drawn from a request. */
  @ManyToOne('Request', { nullable: true, deleteRule: 'set null' })
  sourceRequest?: Rel<Request> | null;

  @Field(() => ListItemStatus)
  @Enum({ items: () => ListItemStatus })
  status!: ListItemStatus;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'For PROBLEM items: when it must be solved.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version!: number;
}

export enum ClaimStatus {
  CLAIMED = 'CLAIMED',
  DELIVERED = 'DELIVERED',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description: 'CLAIMED → DELIVERED (by the unit) → CONFIRMED (by the community); or CANCELLED.',
  valuesConfig: {
    CLAIMED: { description: '认领: the unit has claimed the item; may still be cancelled.' },
    DELIVERED: { description: 'The unit has delivered; waiting for the community\'s confirmation.' },
    CONFIRMED: { description: 'The community confirmed delivery: the item is CLOSED, and the member who carried it out earns CLAIM_CONFIRMED points.' },
    CANCELLED: { description: 'Cancelled while CLAIMED: the item is OPEN again and the resource is no longer used.' },
  },
});

/** 认领: a unit takes on a SERVICE or DEMAND item, against one of its RESOURCE items. */
@ObjectType({ implements: NodeEntity, description: '认领: a unit\'s claim on a service or demand item.' })
@Entity({ tableName: 'claim' })
export class Claim extends NodeEntity {
  @ManyToOne(() => ListItem, { deleteRule: 'restrict' })
  @Index()
  item!: Rel<ListItem>;

  @ManyToOne('Unit', { deleteRule: 'restrict' })
  @Index()
  unit!: Rel<Unit>;

  @ManyToOne(() => ListItem, { nullable: true, deleteRule: 'restrict' })
  @Index()
  resource?: Rel<ListItem> | null;

  /** The member who carries the claim out; earns CLAIM_CONFIRMED points when confirmed. */
  @ManyToOne('Person', { nullable: true, deleteRule: 'set null' })
  person?: Rel<Person> | null;

  @Field(() => ClaimStatus)
  @Enum({ items: () => ClaimStatus })
  status!: ClaimStatus;

  @Field(() => Float, { nullable: true, description: 'How much of the resource this claim uses.' })
  @Property({ type: 'double', nullable: true })
  quantity?: number | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  confirmedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
