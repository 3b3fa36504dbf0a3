import { getMetadataStorage } from 'class-validator';
import { REDACTED, type Logger } from '@keel/observability';

/** A class of environment variables, each declared with its validation rules. */
export type EnvironmentShape = new () => object;

/** Names that say a secret: a variable so named that is not marked @Sensitive() is refused at load. */
const SECRET_NAME = /_(SECRET|KEY|PASSWORD|TOKEN)$/;

const sensitiveNamesByPrototype = new WeakMap<object, Set<string>>();

/**
 * Marks an environment variable as a secret (a database URL with its password, a PSP's API key, a
 * webhook signing secret): its value never appears in a validation error, in the environment's
 * startup log or in any dump of the environment made by redactedEnvironment.
 */
export function Sensitive(): PropertyDecorator {
  return (prototype, property) => {
    const names = sensitiveNamesByPrototype.get(prototype) ?? new Set<string>();
    names.add(String(property));
    sensitiveNamesByPrototype.set(prototype, names);
  };
}

/** The variables `shape` marks sensitive, those of the classes it extends included. */
export function sensitiveVariablesOf(shape: EnvironmentShape): ReadonlySet<string> {
  const names = new Set<string>();
  for (
    let prototype: object | null = shape.prototype as object;
    prototype !== null;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const name of sensitiveNamesByPrototype.get(prototype) ?? []) names.add(name);
  }
  return names;
}

/** The variables `shape` declares: every one has a validation rule. */
export function declaredVariablesOf(shape: EnvironmentShape): readonly string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(shape, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))];
}

/** Declared variables named like secrets but not marked sensitive: a mistake in the shape. */
export function unmarkedSecretsOf(shape: EnvironmentShape): readonly string[] {
  const sensitive = sensitiveVariablesOf(shape);
  return declaredVariablesOf(shape).filter((name) => SECRET_NAME.test(name) && !sensitive.has(name));
}

/**
 * The environment as it may be logged or shown: its declared variables only (never the rest of
 * the process environment), each sensitive one that is set replaced by the log's censor.
 */
export function redactedEnvironment(environment: object): Record<string, unknown> {
  const shape = environment.constructor as EnvironmentShape;
  const sensitive = sensitiveVariablesOf(shape);
  const values = environment as Record<string, unknown>;
  return Object.fromEntries(
    declaredVariablesOf(shape).map((name) => {
      const value = values[name];
      return [name, sensitive.has(name) && value !== undefined ? REDACTED : value];
    }),
  );
}

/**
 * `text` with every value of a sensitive variable replaced by the log's censor: what `source` held
 * and what it became once read (`environment`), longest first so no part of a longer one remains.
 */
export function withoutSensitiveValues(
  text: string,
  shape: EnvironmentShape,
  ...sources: readonly object[]
): string {
  const secrets = [...sensitiveVariablesOf(shape)]
    .flatMap((name) => sources.map((source) => (source as Record<string, unknown>)[name]))
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .sort((left, right) => right.length - left.length);
  return secrets.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, REDACTED), text);
}

/** The environment's line in the startup log: what the process runs with, secrets redacted. */
export function logEnvironment(logger: Logger, environment: object): void {
  logger.info({ environment: redactedEnvironment(environment) }, 'service environment');
}
