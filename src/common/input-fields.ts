import { LocalDateResolver } from 'graphql-scalars';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Field, ID, Int } from 'type-graphql';
import { CharLength, CODE_PATTERN, IsDayInRange, IsNotBlank, MaxChars } from './validators';

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

/** Input classes' fields whose text is trimmed before validation, by the prototype that declares them. */
const TRIMMED_FIELDS = new WeakMap<object, Set<string>>();

/** Marks a text field for trimTextInputs. */
function Trimmed(): PropertyDecorator {
  return (target, key) => {
    const fields = TRIMMED_FIELDS.get(target) ?? new Set<string>();
    fields.add(String(key));
    TRIMMED_FIELDS.set(target, fields);
  };
}

function trimmedFieldsOf(value: object): Set<string> {
  const fields = new Set<string>();
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    TRIMMED_FIELDS.get(proto)?.forEach((field) => fields.add(field));
  }
  return fields;
}

/**
 * THE one place text input is trimmed: every TextInput and DescriptionInput field of an argument,
 * in input objects and lists of them at any depth, in place, before validation (validate-args.ts).
 * So the length and blank checks see what is stored, a name of only spaces is refused as blank,
 * and no service stores surrounding white space (JavaScript's trim: also U+3000, the full-width
 * space of Chinese input). Passwords, tokens and IDs are declared otherwise and kept as sent.
 */
export function trimTextInputs(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(trimTextInputs);
    return;
  }
  if (!value || typeof value !== 'object' || value instanceof Date) return;
  const trimmed = trimmedFieldsOf(value);
  const fields = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(fields)) {
    if (typeof child === 'string') {
      if (trimmed.has(key)) fields[key] = child.trim();
    } else {
      trimTextInputs(child);
    }
  }
}

/**
 * Free text of 1 to `maxLength` characters once trimmed (names, titles, addresses, letters,
 * notes): stored trimmed, and one of only white space is refused as blank.
 */
export function TextInput(maxLength: number, options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => String, options), ...optionality(options), Trimmed(), IsNotBlank(), CharLength(1, maxLength));
}

/** Free text that may be empty (a description): at most `maxLength` characters once trimmed, stored trimmed. */
export function DescriptionInput(maxLength: number, options: FieldOptions = {}): PropertyDecorator {
  return compose(Field(() => String, options), ...optionality(options), Trimmed(), MaxChars(maxLength));
}

/** An opaque token a client passes back (a suggestion ID): 1 to `maxLength` characters, kept exactly as sent. */
export function TokenInput(maxLength: number, options: FieldOptions = {}): PropertyDecorator {
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
