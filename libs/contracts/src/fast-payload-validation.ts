/**
 * The fast path of `validatePayload`: a payload class's strict schema (strict-payload-schema.ts)
 * compiled once by ajv, run on a plain copy of the data's declared fields. It only ever says
 * "valid, and here is the payload"; anything else — invalid data, a key class-transformer would
 * treat specially, an unknown field that is not a plain value, a class that does not compile — is
 * left undecided for class-validator, which refuses and words the violations exactly as before.
 */
import Ajv, { ValidateFunction } from 'ajv';
import { minLength } from 'class-validator';
import { PayloadClass } from './payload-decorators.util';
import {
  compilePayloadSchema,
  MIN_LENGTH_KEYWORD,
  NotCompilable,
  PayloadShape,
  TIMESTAMP_FORMAT,
} from './strict-payload-schema';
import { isRfc3339Timestamp } from './timestamp.util';

/** The valid payload's plain copy, or undefined when class-validator must decide. */
export type FastPayloadValidator = (
  data: Record<string, unknown>,
  allowUnknownFields: boolean,
) => Record<string, unknown> | undefined;

// unicodeRegExp off: ajv builds each pattern as new RegExp(source), as validator.js does.
const ajv = new Ajv({ unicodeRegExp: false, strict: true, messages: false });
ajv.addKeyword({
  keyword: MIN_LENGTH_KEYWORD,
  type: 'string',
  schemaType: 'number',
  errors: false,
  validate: (length: number, data: string) => minLength(data, length),
});
ajv.addFormat(TIMESTAMP_FORMAT, { type: 'string', validate: isRfc3339Timestamp });

const UNDECIDED = Symbol('undecided');
type Copy = unknown;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isObjectLike(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * An undeclared field that class-transformer copies and whitelisting then deletes, leaving no trace:
 * a plain value under a key the class's instances do not already answer (constructor, __proto__,
 * toString, ... are handled specially by class-transformer).
 */
function isDroppable(shape: PayloadShape, key: string, value: unknown): boolean {
  return !(key in shape.prototype) && !isObjectLike(value);
}

function copyOfObject(
  data: Record<string, unknown>,
  shape: PayloadShape,
  allowUnknownFields: boolean,
): Copy | typeof UNDECIDED {
  const copy: Record<string, unknown> = {};
  for (const key of shape.constructedFields) copy[key] = undefined;
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (!shape.fields.has(key)) {
      if (allowUnknownFields && isDroppable(shape, key, value)) continue;
      return UNDECIDED;
    }
    const nested = shape.fields.get(key);
    const fieldCopy =
      nested === undefined
        ? value
        : nested.kind === 'object'
          ? copyOfNested(value, nested.shape, allowUnknownFields)
          : copyOfArray(value, nested.shape, allowUnknownFields);
    if (fieldCopy === UNDECIDED) return UNDECIDED;
    copy[key] = fieldCopy;
  }
  return copy;
}

/** Anything but a plain object is kept as it is for the schema to refuse, or left undecided. */
function copyOfNested(
  value: unknown,
  shape: PayloadShape,
  allowUnknownFields: boolean,
): Copy | typeof UNDECIDED {
  if (isPlainObject(value)) return copyOfObject(value, shape, allowUnknownFields);
  return isObjectLike(value) ? UNDECIDED : value;
}

function copyOfArray(
  value: unknown,
  shape: PayloadShape,
  allowUnknownFields: boolean,
): Copy | typeof UNDECIDED {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) {
    return isObjectLike(value) ? UNDECIDED : value;
  }
  const copy: unknown[] = new Array(value.length);
  for (let index = 0; index < value.length; index += 1) {
    const item = copyOfNested(value[index], shape, allowUnknownFields);
    if (item === UNDECIDED) return UNDECIDED;
    copy[index] = item;
  }
  return copy;
}

function compileValidator(payloadClass: PayloadClass): FastPayloadValidator {
  const { schema, shape } = compilePayloadSchema(payloadClass);
  let isValid: ValidateFunction;
  try {
    isValid = ajv.compile(schema);
  } catch (error) {
    throw new NotCompilable(
      `${payloadClass.name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (data, allowUnknownFields) => {
    if (!isPlainObject(data)) return undefined;
    const copy = copyOfObject(data, shape, allowUnknownFields);
    return copy !== UNDECIDED && isValid(copy) ? (copy as Record<string, unknown>) : undefined;
  };
}

// A class's rules are fixed once its module has loaded, so each class is compiled once.
const compiled = new WeakMap<PayloadClass, FastPayloadValidator | NotCompilable>();

/** The class's fast validator, or why it has none (every payload of it goes to class-validator). */
export function fastPayloadValidatorOf(payloadClass: PayloadClass): FastPayloadValidator | NotCompilable {
  let validator = compiled.get(payloadClass);
  if (validator === undefined) {
    try {
      validator = compileValidator(payloadClass);
    } catch (error) {
      if (!(error instanceof NotCompilable)) throw error;
      validator = error;
    }
    compiled.set(payloadClass, validator);
  }
  return validator;
}
