import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { ContractViolation } from './contract.error';
import { fastPayloadValidatorOf } from './fast-payload-validation';
import { PayloadClass } from './payload-decorators.util';
import { memoizeValidationMetadataLookups } from './validation-metadata-cache';

// Every event crossing a service is validated; see the module for what this saves.
memoizeValidationMetadataLookups();

export interface PayloadValidationOptions {
  /** Accept (and drop) fields the payload class does not declare instead of rejecting them. */
  readonly allowUnknownFields: boolean;
}

export type PayloadValidationResult =
  | { readonly ok: true; readonly payload: Record<string, unknown> }
  | { readonly ok: false; readonly violations: readonly ContractViolation[] };

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenErrors(errors: readonly ValidationError[], parentPath: string): ContractViolation[] {
  return errors.flatMap((error) => {
    const path = parentPath === '' ? error.property : `${parentPath}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      path,
      constraint,
      message,
    }));
    return [...own, ...flattenErrors(error.children ?? [], path)];
  });
}

/**
 * A plain copy of a validated payload: objects and arrays copied, every other value as it is. What
 * class-transformer's `instanceToPlain` gives for payload classes (no getters, no transforms, no
 * dates; whitelisting has already removed what a class does not declare) at a fraction of its cost,
 * which every event built and every event consumed pays.
 */
export function plainCopyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopyOf);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = plainCopyOf((value as Record<string, unknown>)[key]);
  return copy;
}

/**
 * Validates a JSON-shaped value against a payload class and returns a plain copy holding only
 * declared fields. Values are never coerced: "100" stays a string and 100 stays a number.
 *
 * Every event is validated when built and again when consumed, and class-transformer with
 * class-validator cost 24–80 µs an event. So a compiled schema at least as strict as the class's
 * rules decides the common, valid case first (fast-payload-validation.ts); whatever it does not
 * accept goes to class-validator, which alone refuses and words the violations.
 */
export function validatePayload(
  payloadClass: PayloadClass,
  data: unknown,
  options: PayloadValidationOptions,
): PayloadValidationResult {
  const fastPath = fastPayloadValidatorOf(payloadClass);
  if (typeof fastPath === 'function' && isJsonObject(data)) {
    const payload = fastPath(data, options.allowUnknownFields);
    if (payload !== undefined) return { ok: true, payload };
  }
  return validateWithClassValidator(payloadClass, data, options);
}

/** class-validator's decision and wording: the judge of every payload the fast path did not accept. */
export function validateWithClassValidator(
  payloadClass: PayloadClass,
  data: unknown,
  options: PayloadValidationOptions,
): PayloadValidationResult {
  if (!isJsonObject(data)) {
    return {
      ok: false,
      violations: [{ path: '', constraint: 'isObject', message: 'data must be a JSON object' }],
    };
  }
  const instance = plainToInstance(payloadClass, data, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: !options.allowUnknownFields,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    return { ok: false, violations: flattenErrors(errors, '') };
  }
  return { ok: true, payload: plainCopyOf(instance) as Record<string, unknown> };
}
