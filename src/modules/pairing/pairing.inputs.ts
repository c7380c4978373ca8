import { ArrayMaxSize, ArrayMinSize, IsOptional, ValidateNested } from 'class-validator';
import { CharLength } from '../../common/validators';
import { ArgsType, Field, InputType } from 'type-graphql';
import { TextInput, DateInput, IdInput } from '../../common/input-fields';
import { ConnectionArgs } from '../../common/pagination';

@InputType()
export class PairingFilter {
  @IdInput({ nullable: true })
  communityId?: string;

  @IdInput({ nullable: true })
  unitId?: string;

  @IdInput({ nullable: true, description: 'Only pairings with communities inside this area.' })
  within?: string;

  @DateInput({ nullable: true, description: 'Only pairings whose term covers this day.' })
  activeOn?: string;
}

@ArgsType()
export class PairingListArgs extends ConnectionArgs {
  @Field(() => PairingFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: PairingFilter;
}

@InputType()
export class CreatePairingInput {
  @IdInput()
  unitId!: string;

  @IdInput()
  communityId!: string;

  @DateInput()
  startsOn!: string;

  @DateInput({ nullable: true })
  endsOn?: string | null;

  @TextInput(200, { description: 'e.g. 共驻共建协议书.' })
  agreementTitle!: string;

  @DateInput({ nullable: true })
  agreementSignedOn?: string | null;

  @Field(() => [String], { description: 'The duties the agreement lists (1-30, each 1-200 characters).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @CharLength(1, 200, { each: true })
  duties!: string[];
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdatePairingInput {
  @DateInput({ nullable: true, description: 'Moves earlier while the term has not ended; later only while the term has not begun (a start on or before today, China time, stays or moves earlier). The start of a term that has ended (its last day before today) stays as it is.' })
  startsOn?: string | null;

  @DateInput({ nullable: true, description: 'Today (China time) at the earliest, or the end already recorded sent back unchanged; null leaves the term open. A term that has ended (its last day before today) keeps its end: it is neither cleared nor moved; pairing the unit with the community again is a new pairing (createPairing) from today.' })
  endsOn?: string | null;

  @TextInput(200, { nullable: true })
  agreementTitle?: string | null;

  @DateInput({ nullable: true })
  agreementSignedOn?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @CharLength(1, 200, { each: true })
  duties?: string[] | null;
}
