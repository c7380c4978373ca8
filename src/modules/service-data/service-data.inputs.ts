import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, ValidateNested } from 'class-validator';
import { CharLength } from '../../common/validators';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { DateInput, IdInput, IntInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';
import { ResidentGroup } from '../../common/resident-group';
import { ImportRunStatus, ServiceChannel, ServiceRecordStatus } from './service-data.entity';

export const MAX_INLINE_RECORDS = 5000;

@InputType()
export class ServiceItemFilter {
  @IdInput({ nullable: true, description: 'A request category: its items, or (first level) the items of its children.' })
  categoryId?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  isConsultation?: boolean;

  @TextInput(50, { nullable: true, description: 'Name or code contains.' })
  search?: string;
}

@InputType()
export class ImportRunFilter {
  @Field(() => [ImportRunStatus], { nullable: true, description: 'e.g. [FAILED] for the runs that imported nothing, [INTERRUPTED] for killed ones to re-run.' })
  @IsOptional()
  @ArrayMaxSize(4)
  statuses?: ImportRunStatus[];

  @TextInput(50, { nullable: true, description: 'The `source` of its records, exactly (gongjian, baltimore311, api, demo).' })
  source?: string;
}

@ArgsType()
export class ImportRunListArgs extends ConnectionArgs {
  @Field(() => ImportRunFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ImportRunFilter;
}

@ArgsType()
export class ServiceItemListArgs extends ConnectionArgs {
  @Field(() => ServiceItemFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ServiceItemFilter;
}

export enum ServiceStatsGroupBy {
  CATEGORY = 'CATEGORY',
  ITEM = 'ITEM',
  COMMUNITY = 'COMMUNITY',
  RESIDENT_GROUP = 'RESIDENT_GROUP',
  DAY = 'DAY',
}
registerEnumType(ServiceStatsGroupBy, {
  name: 'ServiceStatsGroupBy',
  description: 'CATEGORY: second-level request category (services and requests together); RESIDENT_GROUP counts a record once per group it carries (UNKNOWN when none).',
  valuesConfig: {
    CATEGORY: { description: 'By second-level request category: service records and requests together.' },
    ITEM: { description: 'By one-window service item: service records only (requests have no item).' },
    COMMUNITY: { description: 'By community: service records and requests together.' },
    RESIDENT_GROUP: { description: 'By resident group: a record counts once per group it carries, UNKNOWN when none.' },
    DAY: { description: 'By day (China time): every day of the period, oldest first, empty days as zeros.' },
  },
});

@InputType()
export class ServiceStatsInput {
  @IdInput({ description: 'A district, street or community: everything inside it.' })
  areaId!: string;

  @DateInput({ nullable: true, description: 'First day (China time), inclusive (with `to`).' })
  from?: string | null;

  @DateInput({ nullable: true, description: 'Last day (China time), inclusive; a period is at most 3,660 days.' })
  to?: string | null;

  @Field(() => Int, { nullable: true, description: 'Instead of from/to: the last N days up to today (China time), 1-3,660.' })
  @IsOptional()
  lastDays?: number | null;

  @Field(() => ServiceStatsGroupBy)
  groupBy!: ServiceStatsGroupBy;
}

@InputType({ description: 'One one-window transaction, as the import takes it (same mapping rules as a file).' })
export class ServiceRecordInput {
  @TextInput(64, { description: 'Unique within `source`; re-sending it adds nothing.' })
  sourceId!: string;

  @TextInput(32)
  itemCode!: string;

  @Field(() => DateTimeISOResolver)
  receivedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @IsOptional()
  finishedAt?: Date | null;

  @Field(() => ServiceRecordStatus)
  status!: ServiceRecordStatus;

  @TextInput(32, { description: 'Community code, e.g. 370199001001.' })
  communityCode!: string;

  @TextInput(32, { nullable: true })
  gridCode?: string | null;

  @TextInput(32, { nullable: true })
  buildingCode?: string | null;

  @Field(() => [ResidentGroup], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(7)
  residentGroups?: ResidentGroup[] | null;

  @Field(() => ServiceChannel, { nullable: true })
  @IsOptional()
  channel?: ServiceChannel | null;

  @IntInput(1, 5, { nullable: true })
  satisfaction?: number | null;

  @TextInput(64, { nullable: true, description: 'A resident identifier: hashed with the server salt, never stored or returned.' })
  residentRef?: string | null;

  @TextInput(100, { nullable: true })
  agency?: string | null;

  @TextInput(1000, { nullable: true })
  note?: string | null;
}

@ArgsType()
export class ImportServiceRecordsArgs {
  @Field(() => [ServiceRecordInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INLINE_RECORDS)
  @ValidateNested({ each: true })
  records!: ServiceRecordInput[];

  @Field(() => String, { defaultValue: 'api', description: 'The `source` the records carry (lowercase letters, digits, - and _).' })
  @CharLength(1, 32)
  @Matches(/^[a-z0-9_-]+$/)
  source: string = 'api';
}
