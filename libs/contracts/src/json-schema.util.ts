import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  getMetadataStorage,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_OBJECT,
  IS_OPTIONAL,
  IS_STRING,
  IS_UUID,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  ValidationTypes,
} from 'class-validator';
import { ContractError, ContractErrorCode } from './contract.error';
import { IS_TIMESTAMP, nestedPayloadClassOf, PayloadClass } from './payload-decorators.util';

/** The subset of JSON Schema (draft 7, as AsyncAPI uses it) that payload classes can express. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  pattern?: string;
  enum?: readonly unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $ref?: string;
  description?: string;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];
type SchemaOfConstraints = (constraints: readonly unknown[]) => JsonSchema;

function patternOf(constraint: unknown): string {
  if (constraint instanceof RegExp && constraint.flags !== '') {
    // JSON Schema patterns have no flags, so a flagged RegExp would be published with another meaning.
    throw new ContractError(ContractErrorCode.UnsupportedSchema, `Pattern ${constraint} uses flags`);
  }
  return constraint instanceof RegExp ? constraint.source : String(constraint);
}

function enumSchemaOf(values: unknown): JsonSchema {
  const members: unknown[] = Array.isArray(values) ? [...values] : [];
  return members.every((member) => typeof member === 'string')
    ? { type: 'string', enum: members }
    : { enum: members };
}

// One entry per decorator Keel's payloads use. A decorator missing here fails document generation,
// so the published schema can never silently omit a rule that validation enforces.
const SCHEMA_BY_DECORATOR: Readonly<Record<string, SchemaOfConstraints>> = {
  [IS_STRING]: () => ({ type: 'string' }),
  [MATCHES]: ([pattern]) => ({ pattern: patternOf(pattern) }),
  [MIN_LENGTH]: ([length]) => ({ minLength: Number(length) }),
  [MAX_LENGTH]: ([length]) => ({ maxLength: Number(length) }),
  [IS_IN]: ([values]) => enumSchemaOf(values),
  [IS_UUID]: () => ({ type: 'string', format: 'uuid' }),
  [IS_TIMESTAMP]: () => ({ type: 'string', format: 'date-time' }),
  [IS_INT]: () => ({ type: 'integer' }),
  [MIN]: ([minimum]) => ({ minimum: Number(minimum) }),
  [MAX]: ([maximum]) => ({ maximum: Number(maximum) }),
  [IS_BOOLEAN]: () => ({ type: 'boolean' }),
  [IS_ARRAY]: () => ({ type: 'array' }),
  [ARRAY_MIN_SIZE]: ([size]) => ({ minItems: Number(size) }),
  [ARRAY_MAX_SIZE]: ([size]) => ({ maxItems: Number(size) }),
};

export function schemaRefOf(payloadClass: PayloadClass): string {
  return SCHEMA_REF_PREFIX + payloadClass.name;
}

function unsupported(owner: PayloadClass, metadata: ValidationMetadata): ContractError {
  const rule = metadata.name ?? metadata.type;
  return new ContractError(
    ContractErrorCode.UnsupportedSchema,
    `${owner.name}.${metadata.propertyName} uses '${rule}', which has no JSON Schema mapping`,
  );
}

function fragmentOf(owner: PayloadClass, metadata: ValidationMetadata): JsonSchema {
  if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
    const nested = nestedPayloadClassOf(owner, metadata.propertyName);
    if (nested === undefined) {
      throw unsupported(owner, metadata);
    }
    return { $ref: schemaRefOf(nested) };
  }
  const toSchema = metadata.name === undefined ? undefined : SCHEMA_BY_DECORATOR[metadata.name];
  if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION || toSchema === undefined) {
    throw unsupported(owner, metadata);
  }
  return toSchema(metadata.constraints ?? []);
}

/** The keywords that say what kind of value a field holds. */
export const SHAPE_KEYWORDS = ['type', 'format'] as const satisfies readonly (keyof JsonSchema)[];

/** The keywords that narrow the values of that kind a field takes. */
export const CONSTRAINT_KEYWORDS = [
  'pattern',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
] as const satisfies readonly (keyof JsonSchema)[];

const KEYWORD_ORDER: readonly (keyof JsonSchema)[] = [
  '$ref',
  ...SHAPE_KEYWORDS,
  ...CONSTRAINT_KEYWORDS,
  'items',
  'properties',
  'required',
  'description',
];

/** Decorators apply bottom-up, so keywords are put in one fixed order for a readable, stable document. */
function inKeywordOrder(schema: JsonSchema): JsonSchema {
  const ordered = KEYWORD_ORDER.filter((keyword) => schema[keyword] !== undefined).map((keyword) => [
    keyword,
    keyword === 'items' && schema.items !== undefined ? inKeywordOrder(schema.items) : schema[keyword],
  ]);
  return Object.fromEntries(ordered) as JsonSchema;
}

function propertySchema(owner: PayloadClass, metadatas: readonly ValidationMetadata[]): JsonSchema {
  const schema: JsonSchema = {};
  for (const metadata of metadatas) {
    const fragment = fragmentOf(owner, metadata);
    if (metadata.each) {
      schema.type = 'array';
      schema.items = { ...schema.items, ...fragment };
    } else {
      Object.assign(schema, fragment);
    }
  }
  return inKeywordOrder(schema);
}

function isOptionalMarker(metadata: ValidationMetadata): boolean {
  return metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name === IS_OPTIONAL;
}

// A nested payload's IsObject says what its $ref already says.
function isNeutral(metadata: ValidationMetadata): boolean {
  return (
    metadata.type === ValidationTypes.IS_DEFINED ||
    metadata.type === ValidationTypes.WHITELIST ||
    metadata.name === IS_OBJECT
  );
}

/** JSON Schema of one payload class, read from its class-validator metadata; nested classes are $refs. */
export function schemaOfPayloadClass(payloadClass: PayloadClass): JsonSchema {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(payloadClass, '', false, false);
  const byProperty = getMetadataStorage().groupByPropertyName(metadatas);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [propertyName, propertyMetadatas] of Object.entries(byProperty)) {
    const rules = propertyMetadatas.filter((metadata) => !isOptionalMarker(metadata) && !isNeutral(metadata));
    properties[propertyName] = propertySchema(payloadClass, rules);
    if (!propertyMetadatas.some(isOptionalMarker)) {
      required.push(propertyName);
    }
  }
  return { type: 'object', properties, required };
}

/** Every class reachable from the given payload classes through nested properties. */
export function reachablePayloadClasses(roots: readonly PayloadClass[]): PayloadClass[] {
  const found = new Set<PayloadClass>();
  const visit = (payloadClass: PayloadClass): void => {
    if (found.has(payloadClass)) {
      return;
    }
    found.add(payloadClass);
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(payloadClass, '', false, false);
    for (const metadata of metadatas) {
      const nested = nestedPayloadClassOf(payloadClass, metadata.propertyName);
      if (metadata.type === ValidationTypes.NESTED_VALIDATION && nested !== undefined) {
        visit(nested);
      }
    }
  };
  roots.forEach(visit);
  return [...found];
}
