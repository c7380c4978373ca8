import { getNamedType } from 'graphql';
import { validate } from 'class-validator';
import { ArgumentValidationError, type ResolverData } from 'type-graphql';
import { badInput } from './errors';
import { trimTextInputs } from './input-fields';
import { MAX_INPUT_DEPTH, tooDeeplyNested, unstorableValue } from './validators';

/**
 * Trims text inputs (trimTextInputs), then runs class-validator on every class-typed argument
 * and names the failing field from the argument down (`input.code`), exactly like the services'
 * own errors. type-graphql's built-in validation would report `code`, without the argument's name.
 */
export async function validateArgument(value: unknown, _type: unknown, { info }: ResolverData<object>): Promise<void> {
  // First: the walks below recurse, and a JSON value nested thousands deep would overflow the stack.
  const deep = tooDeeplyNested(value);
  if (deep !== null) throw badInput(argumentField(info, value, deep, (given) => tooDeeplyNested(given) !== null), `must not nest objects or lists more than ${MAX_INPUT_DEPTH} levels deep`);
  trimTextInputs(value);
  const unstorable = unstorableValue(withoutRecordsCheckedLater(value, info), info.parentType === info.schema.getMutationType());
  if (unstorable !== null) throw badInput(argumentField(info, value, unstorable.path, (given) => unstorableValue(given, false) !== null), unstorable.reason);
  if (!value || typeof value !== 'object' || Array.isArray(value) || value.constructor === Object) return;
  const errors = await validate(value, { forbidUnknownValues: false, stopAtFirstError: false });
  if (errors.length === 0) return;
  // An input object is one named argument (e.g. `input`); an @ArgsType's fields are the arguments themselves.
  const typeName = value.constructor.name;
  const field = info.parentType.getFields()[info.fieldName];
  const argument = field?.args.find((arg) => getNamedType(arg.type).name === typeName)?.name;
  throw new ArgumentValidationError(argument ? [{ property: argument, children: errors, constraints: {} } as never] : errors);
}

/**
 * The field holding a value that is refused (`path` within the argument), as validation names fields:
 * `input.title` for an input object, `note` for an @ArgsType's field, the argument's own name for a
 * scalar argument (the one whose given value `refused` picks out).
 */
function argumentField(info: ResolverData<object>['info'], value: unknown, path: string, refused: (given: unknown) => boolean): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const typeName = value.constructor.name;
    const argument = info.parentType.getFields()[info.fieldName]?.args.find((arg) => getNamedType(arg.type).name === typeName)?.name;
    return argument ? `${argument}.${path}` : path;
  }
  const scalar = info.fieldNodes[0]?.arguments?.find((arg) => {
    const given = arg.value.kind === 'Variable' ? info.variableValues[arg.value.name.value] : arg.value.kind === 'StringValue' ? arg.value.value : undefined;
    return refused(given);
  });
  return [scalar?.name.value ?? 'input', path].filter(Boolean).join('.');
}

/** Root mutation fields (by name) whose argument (by name) holds records that reject a NUL one by one. */
const NUL_CHECKED_PER_RECORD = new Map<string, string>();

/**
 * On a mutation resolver: the strings of `argument` are checked for NUL by the service, one record
 * at a time (a bad record is rejected and reported, the others kept, as in a file import), so a NUL
 * there does not refuse the whole mutation. Its other arguments are checked here as usual.
 */
export function NulCheckedPerRecord(argument: string): MethodDecorator {
  return (_target, propertyKey) => {
    NUL_CHECKED_PER_RECORD.set(String(propertyKey), argument);
  };
}

function withoutRecordsCheckedLater(value: unknown, info: ResolverData<object>['info']): unknown {
  const argument = info.parentType === info.schema.getMutationType() ? NUL_CHECKED_PER_RECORD.get(info.fieldName) : undefined;
  if (argument === undefined || !value || typeof value !== 'object' || !(argument in value)) return value;
  return { ...value, [argument]: undefined };
}
