// class-transformer's @Type reads design-time type metadata, which needs the Reflect polyfill.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isRfc3339Timestamp } from './timestamp.util';

/** A class whose instances carry an event payload; plain objects of the same shape satisfy its type. */
export type PayloadClass<P extends object = object> = new () => P;

/** Ids are opaque to contracts; this keeps them safe as Kafka keys, log fields and URL segments. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Lower snake_case machine codes (failure codes, kinds); free-form so that new codes are additive. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const TEXT_LENGTH_MAX = 500;
/** References issued by others (PSPs, merchants) follow their rules, so only the length is bounded. */
export const EXTERNAL_REFERENCE_LENGTH_MAX = 128;
export const IS_TIMESTAMP = 'isTimestamp';

export function IsIdentifier(): PropertyDecorator {
  return (target, propertyKey) => {
    IsString()(target, propertyKey);
    Matches(IDENTIFIER_PATTERN)(target, propertyKey);
  };
}

export function IsCode(): PropertyDecorator {
  return (target, propertyKey) => {
    IsString()(target, propertyKey);
    Matches(CODE_PATTERN)(target, propertyKey);
  };
}

export function IsExternalReference(): PropertyDecorator {
  return (target, propertyKey) => {
    IsString()(target, propertyKey);
    MinLength(1)(target, propertyKey);
    MaxLength(EXTERNAL_REFERENCE_LENGTH_MAX)(target, propertyKey);
  };
}

export function IsTimestamp(): PropertyDecorator {
  return ValidateBy({
    name: IS_TIMESTAMP,
    validator: {
      validate: (value) => isRfc3339Timestamp(value),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an RFC 3339 timestamp with an offset`,
    },
  });
}

export interface ArrayBounds {
  readonly minItems: number;
  readonly maxItems: number;
}

type NestedClassByProperty = Map<string, () => PayloadClass>;

// class-validator records that a property is nested but not of which class; the JSON Schema
// generator needs the class, so it is kept here, keyed by the owning class.
const nestedClasses = new WeakMap<object, NestedClassByProperty>();

function rememberNestedClass(owner: object, propertyName: string, classOf: () => PayloadClass): void {
  const byProperty = nestedClasses.get(owner) ?? new Map<string, () => PayloadClass>();
  byProperty.set(propertyName, classOf);
  nestedClasses.set(owner, byProperty);
}

export function nestedPayloadClassOf(owner: PayloadClass, propertyName: string): PayloadClass | undefined {
  return nestedClasses.get(owner)?.get(propertyName)?.();
}

/**
 * A nested payload object. `IsObject` because `ValidateNested` alone passes a missing value (and
 * an array) without a word: a required nested object left out must be refused.
 */
export function NestedPayload(classOf: () => PayloadClass): PropertyDecorator {
  return (target, propertyKey) => {
    rememberNestedClass(target.constructor, String(propertyKey), classOf);
    IsObject()(target, propertyKey);
    ValidateNested()(target, propertyKey);
    Type(classOf)(target, String(propertyKey));
  };
}

/** An array of nested payload objects; bounds are required, as every list in an event is a limit. */
export function NestedPayloadArray(classOf: () => PayloadClass, bounds: ArrayBounds): PropertyDecorator {
  return (target, propertyKey) => {
    rememberNestedClass(target.constructor, String(propertyKey), classOf);
    IsArray()(target, propertyKey);
    ArrayMinSize(bounds.minItems)(target, propertyKey);
    ArrayMaxSize(bounds.maxItems)(target, propertyKey);
    ValidateNested({ each: true })(target, propertyKey);
    Type(classOf)(target, String(propertyKey));
  };
}
