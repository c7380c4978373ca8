import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { hideQuotedValues, maySeePersonalData } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { NodeEntity } from '../../common/node.entity';
import type { Area } from '../area/area.entity';
import type { RequestCategory } from '../category/category.entity';

/** Where a one-window transaction stands. */
export enum ServiceRecordStatus {
  OPEN = 'OPEN',
  FINISHED = 'FINISHED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ServiceRecordStatus, {
  name: 'ServiceRecordStatus',
  description: '受理中 OPEN, 办结 FINISHED, 撤销/重复 CANCELLED.',
  valuesConfig: {
    OPEN: { description: '受理中: received, not finished.' },
    FINISHED: { description: '办结: finished, with its finish time (close times are read from it).' },
    CANCELLED: { description: '撤销/重复: withdrawn or a duplicate; left out of resolutionGap (1 − finished / (demands − cancelled)).' },
  },
});

export enum ServiceChannel {
  COUNTER = 'COUNTER',
  ONLINE = 'ONLINE',
  PHONE = 'PHONE',
  MOBILE_APP = 'MOBILE_APP',
  SELF_SERVICE = 'SELF_SERVICE',
  PROXY = 'PROXY',
  OTHER = 'OTHER',
}
registerEnumType(ServiceChannel, {
  name: 'ServiceChannel',
  description: '窗口 COUNTER, 网上 ONLINE, 电话 PHONE, 掌上 MOBILE_APP, 自助 SELF_SERVICE, 代办 PROXY, OTHER.',
  valuesConfig: {
    COUNTER: { description: '窗口: at a service counter.' },
    ONLINE: { description: '网上: online.' },
    PHONE: { description: '电话: by phone.' },
    MOBILE_APP: { description: '掌上: on a mobile app.' },
    SELF_SERVICE: { description: '自助: at a self-service terminal.' },
    PROXY: { description: '代办: done on the resident\'s behalf.' },
    OTHER: { description: 'Another channel, or none given (an import without a channel, or an empty one).' },
  },
});

export enum ImportRunStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  /** Its importer stopped before the end (killed, connection lost): see markInterruptedRuns. */
  INTERRUPTED = 'INTERRUPTED',
}
registerEnumType(ImportRunStatus, {
  name: 'ImportRunStatus',
  description: 'RUNNING while its importer works; INTERRUPTED when the importer stopped before the end (killed, connection lost), however the run is read: its committed batches are kept, and running the same file again completes it exactly once.',
  valuesConfig: {
    RUNNING: { description: 'Its importer is working.' },
    SUCCEEDED: { description: 'Read to the end with something imported (rows inserted or already present); some rows may be rejected (see its counts).' },
    FAILED: { description: 'Ended with an error (see `error`): the file unreadable or not matching the mapping, a batch refused, the import stopped (Ctrl-C), or nothing imported; batches committed before are kept.' },
    INTERRUPTED: { description: 'Its importer stopped before the end (killed, connection lost); importing the same file again completes it exactly once.' },
  },
});

/** One entry of the one-window (一门式) service catalogue. */
@ObjectType({ implements: NodeEntity, description: '一门式 service catalogue entry.' })
@Entity({ tableName: 'service_item' })
export class ServiceItem extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field({ description: 'Chinese name, e.g. 城乡居民养老保险参保登记.' })
  @Property({ type: 'string', length: 100 })
  @Index()
  name!: string;

  /** A second-level request category, so services and requests rank together. */
  @ManyToOne('RequestCategory', { deleteRule: 'restrict' })
  @Index()
  category!: Rel<RequestCategory>;

  @Field({ description: 'A consultation (咨询) rather than a demand (办件).' })
  @Property({ type: 'boolean' })
  isConsultation!: boolean;

  @Field(() => Int, { description: 'Working days allowed (限时办结); 0 for on-the-spot.' })
  @Property({ type: 'smallint' })
  deadlineWorkingDays!: number;

  /** Bitmask of the resident groups it usually serves (see resident-groups.ts). */
  @Property({ type: 'smallint', default: 0 })
  residentGroupMask: number = 0;

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;
}

/** An import (file or API batch); rows it inserted point back at it. */
@ObjectType({ implements: NodeEntity, description: 'One import of service records and its counts.' })
@Entity({ tableName: 'import_run' })
export class ImportRun extends NodeEntity {
  @Field({ description: 'The `source` its records carry (from the mapping), e.g. gongjian, baltimore311, api.' })
  @Property({ type: 'string', length: 32 })
  source!: string;

  @Field({ description: 'File name (no folders), or "api".' })
  @Property({ type: 'string', length: 200 })
  fileName!: string;

  @Field()
  @Property({ type: 'string', length: 60 })
  mapping!: string;

  /** As stored; GraphQL's `status` also tells a RUNNING run whose importer is gone (ImportRunResolver). */
  @Enum({ items: () => ImportRunStatus })
  status!: ImportRunStatus;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rowsRead: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  inserted: number = 0;

  @Field(() => Int, { description: 'Rows whose (source, sourceId) was already imported.' })
  @Property({ type: 'integer', default: 0 })
  duplicates: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rejected: number = 0;

  /** As stored; GraphQL's `error` says so too when the importer is gone (ImportRunResolver). */
  @Property({ type: 'string', length: 300, nullable: true })
  error?: string | null;
}

/**
 * A reason quotes the value it refused (an unknown code, a malformed date), with numbers masked.
 * The value comes from the row and may be a misplaced name (a resident's name in the community
 * column): staff who may see personal data read it as quoted, everyone else with values hidden.
 */
const quotedValuesForStaffOnly: MiddlewareFn<AppContext> = async ({ context }, next) => {
  const reason: unknown = await next();
  return typeof reason === 'string' && !maySeePersonalData(context.viewer) ? hideQuotedValues(reason) : reason;
};

/** A row an import refused: where and why. Never the row's content (it may hold personal data). */
@ObjectType({ description: 'A rejected row: where it is (in a file, the line the record starts on, the header being line 1; through importServiceRecords, the record\'s position, 1 = the first), column and reason.' })
@Entity({ tableName: 'import_rejection' })
@Index({ properties: ['run', 'rowNumber'] })
export class ImportRejection {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => ImportRun, { deleteRule: 'cascade' })
  run!: Rel<ImportRun>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  rowNumber!: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true, fieldName: 'column_name' })
  column?: string | null;

  @Field({ description: 'Why. Values it quotes from the row are shown to staff only; others read "…".' })
  @UseMiddleware(quotedValuesForStaffOnly)
  @Property({ type: 'string', length: 300 })
  reason!: string;
}

/**
 * One one-window transaction. Keyed by (source, sourceId) so re-imports add nothing.
 * Pseudonymous: `residentHash` is a salted hash, never a name or ID number. No foreign keys:
 * per-row constraint checks halved bulk-load speed (measured), and the importer only writes
 * item, community, grid and building ids it has just read from their tables.
 */
@Entity({ tableName: 'service_record' })
// BRIN, not b-tree: records arrive about in time order, and a refresh of some days reads only their pages (migration 20261221100000).
@Index({
  name: 'service_record_received_at_brin',
  expression: 'create index "service_record_received_at_brin" on "service_record" using brin ("received_at") with (pages_per_range = 32)',
})
export class ServiceRecord {
  @PrimaryKey({ type: 'string', length: 32 })
  source!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  sourceId!: string;

  @ManyToOne(() => ServiceItem, { createForeignKeyConstraint: false })
  item!: Rel<ServiceItem>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  receivedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Enum({ items: () => ServiceRecordStatus })
  status!: ServiceRecordStatus;

  @ManyToOne('Area', { createForeignKeyConstraint: false })
  community!: Rel<Area>;

  @Property({ type: 'integer', nullable: true })
  gridId?: number | null;

  @Property({ type: 'integer', nullable: true })
  buildingId?: number | null;

  @Property({ type: 'smallint', default: 0 })
  residentGroups: number = 0;

  @Enum({ items: () => ServiceChannel })
  channel!: ServiceChannel;

  @Property({ type: 'smallint', nullable: true })
  satisfaction?: number | null;

  @Property({ type: 'string', length: 100, nullable: true })
  agency?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  residentHash?: string | null;

  @Property({ type: 'integer', nullable: true })
  importRunId?: number | null;
}

/** Roll-up: China-time day × item × community × resident-group combination. */
@Entity({ tableName: 'service_daily' })
export class ServiceDaily {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'integer' })
  itemId!: number;

  @PrimaryKey({ type: 'integer' })
  communityId!: number;

  @PrimaryKey({ type: 'smallint' })
  residentGroups!: number;

  @Property({ type: 'integer' })
  count!: number;

  @Property({ type: 'integer' })
  consultations!: number;

  @Property({ type: 'integer' })
  open!: number;

  @Property({ type: 'integer' })
  finished!: number;

  @Property({ type: 'bigint' })
  closeSecondsSum!: string;

  @Property({ type: 'integer' })
  satisfactionSum!: number;

  @Property({ type: 'integer' })
  satisfactionCount!: number;
}

/** Roll-up of resident requests: China-time day of creation × category × community × group. */
@Entity({ tableName: 'request_daily' })
export class RequestDaily {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'integer' })
  categoryId!: number;

  @PrimaryKey({ type: 'integer' })
  communityId!: number;

  @PrimaryKey({ type: 'smallint' })
  residentGroups!: number;

  @Property({ type: 'integer' })
  count!: number;

  @Property({ type: 'integer' })
  open!: number;

  @Property({ type: 'integer' })
  resolved!: number;

  @Property({ type: 'bigint' })
  resolveSecondsSum!: string;

  @Property({ type: 'integer' })
  satisfactionSum!: number;

  @Property({ type: 'integer' })
  satisfactionCount!: number;
}

export const SERVICE_DATA_ENTITIES = [ServiceItem, ImportRun, ImportRejection, ServiceRecord, ServiceDaily, RequestDaily];
