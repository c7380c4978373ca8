import { getNamedType } from 'graphql';
import { validate } from 'class-validator';
import { ArgumentValidationError, type ResolverData } from 'type-graphql';

/**
 * Runs class-validator on every class-typed argument and names the failing field from the
 * argument down (`input.code`), exactly like the services' own errors. type-graphql's
 * built-in validation would report `code`, without the argument's name.
 */
export async function validateArgument(value: unknown, _type: unknown, { info }: ResolverData<object>): Promise<void> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value.constructor === Object) return;
  const errors = await validate(value, { forbidUnknownValues: false, stopAtFirstError: false });
  if (errors.length === 0) return;
  // An input object is one named argument (e.g. `input`); an @ArgsType's fields are the arguments themselves.
  const typeName = value.constructor.name;
  const field = info.parentType.getFields()[info.fieldName];
  const argument = field?.args.find((arg) => getNamedType(arg.type).name === typeName)?.name;
  throw new ArgumentValidationError(argument ? [{ property: argument, children: errors, constraints: {} } as never] : errors);
}
