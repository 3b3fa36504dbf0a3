/**
 * The strict schema of a payload class: a JSON Schema (with two keywords of Keel's own) that accepts
 * no value class-validator and class-transformer, as `validatePayload` calls them, would refuse or
 * change — used to decide the common, valid case without them (fast-payload-validation.ts).
 *
 * It is derived from the class's validation metadata here rather than taken from the published
 * schema (json-schema.util.ts), because exactness needs what publication leaves out: validator.js
 * counts a string's length without U+FE0E/U+FE0F (so `minLength` is checked by class-validator's
 * own function), an optional field takes null, the RFC 3339 check is Keel's function, and any rule,
 * transform or class shape not listed below makes the class not compilable instead of publishable.
 */
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  getMetadataStorage,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_OBJECT,
  IS_IN,
  IS_INT,
  IS_OPTIONAL,
  IS_STRING,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  ValidationTypes,
} from 'class-validator';
import { IS_TIMESTAMP, nestedPayloadClassOf, PayloadClass } from './payload-decorators.util';

/** Keel's keywords: class-validator's `minLength` itself, and `isRfc3339Timestamp` as a format. */
export const MIN_LENGTH_KEYWORD = 'keelMinLength';
export const TIMESTAMP_FORMAT = 'keel-rfc3339';

type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface StrictSchema {
  type?: ValueType;
  nullable?: true;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  [MIN_LENGTH_KEYWORD]?: number;
  minItems?: number;
  maxItems?: number;
  items?: StrictSchema;
  properties?: Record<string, StrictSchema>;
  required?: string[];
}

/** A declared field holding nested payload objects: one, or an array of them. */
export interface NestedField {
  readonly kind: 'object' | 'array';
  readonly shape: PayloadShape;
}

/** What copying a payload of the class needs: its declared fields, and which of them nest. */
export interface PayloadShape {
  /** Declared field name → its nested payload, or undefined for a value field. */
  readonly fields: ReadonlyMap<string, NestedField | undefined>;
  /**
   * The fields a new instance already holds (undefined), in its order: with define semantics for
   * class fields (the TypeScript default at ES2022, which @swc-node/register follows) every declared
   * field, without them (the build's .swcrc, the tests) none. class-transformer starts from that
   * instance, so its output lists these first.
   */
  readonly constructedFields: readonly string[];
  /** class-transformer never sets a key the class's prototype chain answers (constructor, __proto__, ...). */
  readonly prototype: object;
}

export interface CompiledPayloadSchema {
  readonly schema: StrictSchema;
  readonly shape: PayloadShape;
}

/** Why a class (or a class it nests) stays on class-validator's path. */
export class NotCompilable extends Error {}

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

interface Fragment {
  readonly type: ValueType;
  readonly keywords?: StrictSchema;
}

function regExpSourceOf(pattern: unknown, modifiers: unknown): string {
  // validator.js matches a flagless RegExp as it is and a string through new RegExp(source,
  // modifiers); ajv (unicodeRegExp off) builds new RegExp(source): the same expression either way.
  if (pattern instanceof RegExp && pattern.flags === '') return pattern.source;
  if (typeof pattern === 'string' && modifiers === undefined) return pattern;
  throw new NotCompilable(`pattern ${String(pattern)} has flags`);
}

function finiteNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NotCompilable(`bound ${String(value)} is not a finite number`);
  }
  return value;
}

// Each entry is exactly class-validator's rule, or stricter where noted.
const FRAGMENT_BY_DECORATOR: Readonly<Record<string, (constraints: readonly unknown[]) => Fragment>> = {
  [IS_STRING]: () => ({ type: 'string' }), // stricter: a String object is refused
  [MATCHES]: ([pattern, modifiers]) => ({
    type: 'string',
    keywords: { pattern: regExpSourceOf(pattern, modifiers) },
  }),
  [MIN_LENGTH]: ([length]) => ({ type: 'string', keywords: { [MIN_LENGTH_KEYWORD]: finiteNumber(length) } }),
  // stricter: ajv counts U+FE0E/U+FE0F as characters, validator.js does not
  [MAX_LENGTH]: ([length]) => ({ type: 'string', keywords: { maxLength: finiteNumber(length) } }),
  [IS_IN]: ([values]) => {
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
      throw new NotCompilable('isIn over values that are not all strings');
    }
    return { type: 'string', keywords: { enum: [...values] } };
  },
  [IS_TIMESTAMP]: () => ({ type: 'string', keywords: { format: TIMESTAMP_FORMAT } }),
  [IS_INT]: () => ({ type: 'integer' }),
  // stricter: ajv's numbers are finite, class-validator's Min takes Infinity
  [MIN]: ([minimum]) => ({ type: 'number', keywords: { minimum: finiteNumber(minimum) } }),
  [MAX]: ([maximum]) => ({ type: 'number', keywords: { maximum: finiteNumber(maximum) } }),
  [IS_BOOLEAN]: () => ({ type: 'boolean' }), // stricter: a Boolean object is refused
  [IS_ARRAY]: () => ({ type: 'array' }),
  [IS_OBJECT]: () => ({ type: 'object' }), // stricter: a function is refused
  [ARRAY_MIN_SIZE]: ([size]) => ({ type: 'array', keywords: { minItems: finiteNumber(size) } }),
  [ARRAY_MAX_SIZE]: ([size]) => ({ type: 'array', keywords: { maxItems: finiteNumber(size) } }),
};

function mergedType(current: ValueType | undefined, next: ValueType): ValueType {
  if (current === undefined || current === next) return next;
  const pair = new Set([current, next]);
  if (pair.has('integer') && pair.has('number') && pair.size === 2) return 'integer';
  throw new NotCompilable(`rules of both ${current} and ${next}`);
}

function mergeKeywords(schema: StrictSchema, keywords: StrictSchema): void {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (keyword in schema) throw new NotCompilable(`'${keyword}' twice`);
    Object.assign(schema, { [keyword]: value });
  }
}

function isOptionalMarker(metadata: ValidationMetadata): boolean {
  return metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name === IS_OPTIONAL;
}

/** class-transformer converts a field only through @Type: to its nested class, or a number to itself. */
function checkTransforms(
  owner: PayloadClass,
  field: string,
  expected: PayloadClass | undefined,
  type: ValueType,
): void {
  if (
    defaultMetadataStorage.findTransformMetadatas(owner, field, TransformationType.PLAIN_TO_CLASS).length > 0
  ) {
    throw new NotCompilable(`${owner.name}.${field} has a @Transform`);
  }
  const typeMetadata = defaultMetadataStorage.findTypeMetadata(owner, field);
  if (typeMetadata === undefined) {
    if (expected !== undefined) throw new NotCompilable(`${owner.name}.${field} nests without @Type`);
    return;
  }
  if (typeMetadata.options?.discriminator !== undefined) {
    throw new NotCompilable(`${owner.name}.${field} has a discriminator`);
  }
  const target: unknown = typeMetadata.typeFunction();
  const numberToItself = target === Number && (type === 'integer' || type === 'number');
  if (target !== expected && !numberToItself) {
    throw new NotCompilable(`${owner.name}.${field} is transformed by @Type to another class`);
  }
}

function compileField(
  owner: PayloadClass,
  field: string,
  metadatas: readonly ValidationMetadata[],
  seen: readonly PayloadClass[],
): { schema: StrictSchema; nested: NestedField | undefined; optional: boolean } {
  const schema: StrictSchema = {};
  let type: ValueType | undefined;
  let nested: NestedField | undefined;
  let optional = false;
  const nestedRules = metadatas.filter((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
  for (const metadata of metadatas) {
    if ((metadata.groups?.length ?? 0) > 0 || metadata.always === true) {
      throw new NotCompilable(`${owner.name}.${field} has groups`);
    }
    if (isOptionalMarker(metadata)) {
      optional = true;
      continue;
    }
    if (metadata.type === ValidationTypes.NESTED_VALIDATION) continue;
    const toFragment =
      metadata.name !== undefined && Object.hasOwn(FRAGMENT_BY_DECORATOR, metadata.name)
        ? FRAGMENT_BY_DECORATOR[metadata.name]
        : undefined;
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION || toFragment === undefined || metadata.each) {
      throw new NotCompilable(`${owner.name}.${field} uses '${metadata.name ?? metadata.type}'`);
    }
    const fragment = toFragment(metadata.constraints ?? []);
    type = mergedType(type, fragment.type);
    mergeKeywords(schema, fragment.keywords ?? {});
  }
  if (nestedRules.length > 1) throw new NotCompilable(`${owner.name}.${field} nests twice`);
  const [nestedRule] = nestedRules;
  const nestedClass = nestedRule === undefined ? undefined : nestedPayloadClassOf(owner, field);
  if (nestedRule !== undefined) {
    if (nestedClass === undefined) throw new NotCompilable(`${owner.name}.${field} nests an unnamed class`);
    const kind = nestedRule.each ? 'array' : 'object';
    if (kind === 'array' && type !== 'array')
      throw new NotCompilable(`${owner.name}.${field} is not an array`);
    if (kind === 'object') type = mergedType(type, 'object');
    const compiled = compileClass(nestedClass, seen);
    nested = { kind, shape: compiled.shape };
    if (kind === 'array') schema.items = compiled.schema;
    else
      mergeKeywords(schema, { properties: compiled.schema.properties, required: compiled.schema.required });
  }
  if (type === undefined) throw new NotCompilable(`${owner.name}.${field} takes any value`);
  if (type === 'array' && nested === undefined)
    throw new NotCompilable(`${owner.name}.${field} is an untyped array`);
  checkTransforms(owner, field, nestedClass, type);
  schema.type = type;
  if (optional) {
    // class-validator skips every rule of an optional field holding null or undefined.
    schema.nullable = true;
    if (schema.enum !== undefined) schema.enum = [...schema.enum, null];
  }
  return { schema, nested, optional };
}

function compileClass(payloadClass: PayloadClass, seen: readonly PayloadClass[]): CompiledPayloadSchema {
  if (seen.includes(payloadClass)) throw new NotCompilable(`${payloadClass.name} nests itself`);
  if (defaultMetadataStorage.getStrategy(payloadClass) !== 'none') {
    throw new NotCompilable(`${payloadClass.name} has an @Expose/@Exclude strategy`);
  }
  if (
    defaultMetadataStorage.getExposedMetadatas(payloadClass).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(payloadClass).length > 0
  ) {
    throw new NotCompilable(`${payloadClass.name} exposes or excludes fields`);
  }
  const blank = new payloadClass() as Record<string, unknown>;
  const constructedFields = Object.keys(blank);
  if (constructedFields.some((field) => blank[field] !== undefined)) {
    throw new NotCompilable(`${payloadClass.name} gives a field a value when constructed`);
  }
  const prototype: object = payloadClass.prototype;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(payloadClass, '', false, false);
  const byField = storage.groupByPropertyName(metadatas);
  const properties: Record<string, StrictSchema> = {};
  const required: string[] = [];
  const fields = new Map<string, NestedField | undefined>();
  for (const [field, fieldMetadatas] of Object.entries(byField)) {
    if (field in prototype) throw new NotCompilable(`${payloadClass.name}.${field} is on its prototype`);
    const compiled = compileField(payloadClass, field, fieldMetadatas, [...seen, payloadClass]);
    properties[field] = compiled.schema;
    if (!compiled.optional) required.push(field);
    fields.set(field, compiled.nested);
  }
  if (constructedFields.some((field) => !fields.has(field))) {
    throw new NotCompilable(`${payloadClass.name} constructs a field without rules`);
  }
  return {
    schema: { type: 'object', properties, required },
    shape: { fields, constructedFields, prototype },
  };
}

/** The strict schema and copying shape of a payload class; throws NotCompilable to say why not. */
export function compilePayloadSchema(payloadClass: PayloadClass): CompiledPayloadSchema {
  return compileClass(payloadClass, []);
}
