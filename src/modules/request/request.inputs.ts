import { DateTimeISOResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { IdInput, TextInput } from '../../common/input-fields';
import { ConnectionArgs, OrderDirection } from '../../common/pagination';
import { ResidentGroup } from '../../common/resident-group';
import { IsChinesePhone, MaxChars } from '../../common/validators';
import { RequestChannel, RequestLevel, RequestStatus } from './request.entity';

export enum RequestOrderField {
  CREATED_AT = 'createdAt',
  DUE_AT = 'dueAt',
}
registerEnumType(RequestOrderField, {
  name: 'RequestOrderField',
  valuesConfig: {
    CREATED_AT: { description: 'When the request was received (createdAt); the default, newest first.' },
    DUE_AT: { description: 'The owning level\'s deadline (dueAt, 限时办结).' },
  },
});

@InputType()
export class RequestOrder {
  @Field(() => RequestOrderField, { defaultValue: RequestOrderField.CREATED_AT })
  field: RequestOrderField = RequestOrderField.CREATED_AT;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC })
  direction: OrderDirection = OrderDirection.DESC;
}

@InputType()
export class RequestFilter {
  @Field(() => [RequestStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  statuses?: RequestStatus[];

  @Field(() => [RequestLevel], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  levels?: RequestLevel[];

  @IdInput({ nullable: true, description: 'A category; a first-level one includes its children.' })
  categoryId?: string;

  @IdInput({ nullable: true, description: 'Only requests located inside this area (any level), at any depth.' })
  within?: string;

  @Field(() => Boolean, { nullable: true, description: 'true: requests overdue, as `isOverdue` (past their deadline with the clock running, or suspended already past it; one suspended in time is not overdue); false: the others.' })
  @IsOptional()
  overdue?: boolean;

  @Field(() => Int, { nullable: true, description: 'Only requests due within this many hours (clock running, not yet overdue).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  dueWithinHours?: number;

  @Field(() => [RequestChannel], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(7)
  channels?: RequestChannel[];

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Received at or after.' })
  @IsOptional()
  receivedFrom?: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Received before.' })
  @IsOptional()
  receivedTo?: Date;

  @IdInput({ nullable: true })
  assigneePersonId?: string;

  @IdInput({ nullable: true })
  assigneeUnitId?: string;

  @Field(() => String, { nullable: true, description: 'Title or text contains this (Chinese works).' })
  @IsOptional()
  @MaxChars(50)
  search?: string;
}

@ArgsType()
export class RequestListArgs extends ConnectionArgs {
  @Field(() => RequestFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: RequestFilter;

  @Field(() => RequestOrder, { nullable: true })
  @IsOptional()
  @ValidateNested()
  orderBy?: RequestOrder;
}

@InputType({ description: 'A resident orders (居民点单).' })
export class CreateRequestInput {
  @TextInput(200)
  title!: string;

  @TextInput(5000, { description: 'The request in the resident\'s words.' })
  body!: string;

  @Field(() => RequestChannel)
  channel!: RequestChannel;

  @IdInput()
  categoryId!: string;

  @IdInput({ description: 'The smallest known area: a Building, Grid or Community.' })
  areaId!: string;

  @Field(() => ResidentGroup, { nullable: true })
  @IsOptional()
  residentGroup?: ResidentGroup | null;

  @TextInput(60, { nullable: true, description: 'Kept private: shown masked.' })
  residentName?: string | null;

  @Field(() => String, { nullable: true, description: 'Kept private: shown masked.' })
  @IsOptional()
  @IsChinesePhone()
  residentPhone?: string | null;
}

/** Every step takes the version the caller saw, so acting on stale data is refused. */
@InputType()
export class StepInput {
  @Field(() => Int, { nullable: true, description: 'The version you saw; the step is refused (CONFLICT) if the request changed since.' })
  @IsOptional()
  @IsInt()
  expectedVersion?: number;

  @TextInput(2000, { nullable: true })
  note?: string | null;
}

@InputType()
export class DispatchRequestInput extends StepInput {
  @IdInput({ nullable: true, description: 'A member (Person) to take it; or give assigneeUnitId.' })
  assigneePersonId?: string | null;

  @IdInput({ nullable: true, description: 'A unit or volunteer team to take it.' })
  assigneeUnitId?: string | null;
}

@InputType()
export class TakeRequestInput extends StepInput {
  @IdInput({ nullable: true, description: 'Who takes it; required when it was dispatched to a unit (a person working there).' })
  personId?: string | null;
}

@InputType()
export class PlainStepInput extends StepInput {}

@InputType()
export class ReasonStepInput extends StepInput {
  @TextInput(2000)
  reason!: string;
}

@InputType()
export class RateRequestInput extends StepInput {
  @Field(() => Int, { description: '1 (very unhappy) to 5 (very satisfied).' })
  @IsInt()
  @Min(1)
  @Max(5)
  satisfaction!: number;

  @TextInput(2000, { nullable: true })
  comment?: string | null;
}

@InputType()
export class CloseOutRequestInput extends StepInput {
  @Field(() => RequestLevel, {
    nullable: true,
    description: 'Optional: the level you expect owns the request; refused if it does not. Who may close out (销号) is the owning level or one above, derived from your account, not from this.',
  })
  @IsOptional()
  byLevel?: RequestLevel | null;

  @TextInput(2000)
  reason!: string;
}

@InputType()
export class CommentRequestInput {
  @TextInput(2000)
  text!: string;
}
