import { LocalDateResolver } from 'graphql-scalars';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Field, ID, Int } from 'type-graphql';
import { CharLength, CODE_PATTERN, IsDayInRange, IsNotBlank } from './validators';

/**
 * Field decorators for the inputs every module repeats, so a rule such as "a code is 1-32
 * letters, digits and dashes" is written once. `nullable` fields are optional in GraphQL
 * and skipped by validation when absent or null (null clears them on update).
 */
interface FieldOptions {
  nullable?: boolean;
  description?: string;
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

function optionality(options: FieldOptions): PropertyDecorator[] {
  return options.nullable ? [IsOptional()] : [];
}

/** A unique code: 1-32 letters, digits and dashes. */
export function CodeInput(options: FieldOptions = {}): PropertyDecorator {
  return compose(
    Field(() => String, options),
    ...optionality(options),
    CharLength(1, 32),
    Matches(CODE_PATTERN, { message: 'code may contain only letters, digits and dashes' }),
  );
}

/** Free text of 1 to `maxLength` characters, not only white space (names, titles, addresses). */
export function TextInput(maxLength: number, options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => String, options), ...optionality(options), CharLength(1, maxLength), IsNotBlank());
}

/** A calendar day, YYYY-MM-DD, within PERIOD_DAYS (1900-2999). */
export function DateInput(options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => LocalDateResolver, options), ...optionality(options), IsDayInRange());
}

/** A global ID pointing at another record. "" is refused, not read as "none given" (an unset picker). */
export function IdInput(options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => ID, options), ...optionality(options), IsNotBlank());
}

/** A whole number between `min` and `max`. */
export function IntInput(min: number, max: number, options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => Int, options), ...optionality(options), IsInt(), Min(min), Max(max));
}
