import { getMetadataStorage, ValidateBy, type ValidationError } from 'class-validator';
import { REDACTED, type Logger } from '@keel/observability';
import { LOCAL_PROFILE } from './keel-profile';

/** A class of environment variables, each declared with its validation rules. */
export type EnvironmentShape = new () => object;

/** Names that say a secret: a variable so named that is not marked @Sensitive() is refused at load. */
const SECRET_NAME = /_(SECRET|KEY|PASSWORD|TOKEN)$/;

/**
 * The shortest secret accepted unless its @Sensitive() says otherwise: 32 characters hold 128 bits
 * and more of a random hex or base64 string, out of reach of guessing a webhook signature's key.
 */
export const SECRET_LENGTH_MIN = 32;

export interface SensitiveOptions {
  /** The shortest value accepted; SECRET_LENGTH_MIN when not given. */
  readonly minLength?: number;
  /**
   * The value it takes under KEEL_PROFILE=local when it is not set: the PSP simulator's public
   * test credential. Accepted whatever its length there, and refused in every other profile.
   * Without one, the variable must be set in every profile.
   */
  readonly localValue?: string;
}

interface SecretRule {
  readonly minLength: number;
  readonly localValue?: string;
}

/** The name under which class-validator reports a secret's own rule. */
const SECRET_CONSTRAINT = 'isSecret';

const secretRulesByPrototype = new WeakMap<object, Map<string, SecretRule>>();

const isUnset = (value: unknown): boolean => value === undefined || value === null || value === '';

const profileOf = (environment: unknown): unknown =>
  (environment as { KEEL_PROFILE?: unknown } | undefined)?.KEEL_PROFILE;

/** What is wrong with a secret's value, in words that never quote it; undefined if nothing is. */
function secretProblem(
  name: string,
  value: unknown,
  rule: SecretRule,
  environment: unknown,
): string | undefined {
  const local = profileOf(environment) === LOCAL_PROFILE;
  if (isUnset(value)) {
    const length = rule.minLength > 1 ? ` (at least ${rule.minLength} characters)` : '';
    const localHint =
      rule.localValue === undefined
        ? ''
        : `, or run with KEEL_PROFILE=local to use the PSP simulator's test value (local development only)`;
    return `${name} is a secret with no default and is not set: set it${length}${localHint}`;
  }
  if (typeof value !== 'string') return `${name} must be a string`;
  if (value === rule.localValue) {
    return local
      ? undefined
      : `${name} is the PSP simulator's public test value, accepted only with KEEL_PROFILE=local: set the real one`;
  }
  if (value.length < rule.minLength) return `${name} must be at least ${rule.minLength} characters long`;
  return undefined;
}

/**
 * Marks an environment variable as a secret (a database URL with its password, a PSP's API key, a
 * webhook signing secret). It has no default in code: it must be set, at least `minLength`
 * characters long, unless KEEL_PROFILE=local gives it its `localValue`. Its value never appears
 * in a validation error, in the environment's startup log or in any dump made by
 * redactedEnvironment. With @IsOptional() it may be left unset; a value set is still checked.
 */
export function Sensitive(options: SensitiveOptions = {}): PropertyDecorator {
  const rule: SecretRule = {
    minLength: options.minLength ?? SECRET_LENGTH_MIN,
    localValue: options.localValue,
  };
  return (prototype, property) => {
    const name = String(property);
    const rules = secretRulesByPrototype.get(prototype) ?? new Map<string, SecretRule>();
    rules.set(name, rule);
    secretRulesByPrototype.set(prototype, rules);
    ValidateBy({
      name: SECRET_CONSTRAINT,
      validator: {
        validate: (value, args) => secretProblem(name, value, rule, args?.object) === undefined,
        defaultMessage: (args) => secretProblem(name, args?.value, rule, args?.object) ?? '',
      },
    })(prototype, property);
  };
}

/** The secret rules of `shape` and of the classes it extends, by variable. */
function secretRulesOf(shape: EnvironmentShape): ReadonlyMap<string, SecretRule> {
  const rules = new Map<string, SecretRule>();
  for (
    let prototype: object | null = shape.prototype as object;
    prototype !== null;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const [name, rule] of secretRulesByPrototype.get(prototype) ?? []) {
      if (!rules.has(name)) rules.set(name, rule);
    }
  }
  return rules;
}

/** The variables `shape` marks sensitive, those of the classes it extends included. */
export function sensitiveVariablesOf(shape: EnvironmentShape): ReadonlySet<string> {
  return new Set(secretRulesOf(shape).keys());
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

/** Sensitive variables given a value in code: a mistake in the shape, since a secret fails closed. */
export function defaultedSecretsOf(shape: EnvironmentShape): readonly string[] {
  const defaults = new shape() as Record<string, unknown>;
  return [...sensitiveVariablesOf(shape)].filter((name) => defaults[name] !== undefined);
}

/**
 * `source` with every unset secret that has a local value given that value, when `source` runs
 * under KEEL_PROFILE=local; `source` itself otherwise.
 */
export function withLocalSecrets(shape: EnvironmentShape, source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (source['KEEL_PROFILE'] !== LOCAL_PROFILE) return source;
  const filled = { ...source };
  for (const [name, { localValue }] of secretRulesOf(shape)) {
    if (localValue !== undefined && isUnset(filled[name])) filled[name] = localValue;
  }
  return filled;
}

/**
 * One line per broken rule of a refused environment, no sensitive value in any: a secret's own
 * rule never quotes one, any other line is scrubbed. An unset secret is reported by its own rule
 * alone, since its other rules would only say again that it has no value.
 */
export function problemsOf(
  errors: readonly ValidationError[],
  shape: EnvironmentShape,
  ...sources: readonly object[]
): string[] {
  return errors.flatMap((error) => {
    const constraints = Object.entries(error.constraints ?? {});
    const secretRule = constraints.filter(([constraint]) => constraint === SECRET_CONSTRAINT);
    const reported = secretRule.length > 0 && isUnset(error.value) ? secretRule : constraints;
    return reported.map(([constraint, message]) => {
      const line = `  ${error.property}: ${message}`;
      return constraint === SECRET_CONSTRAINT ? line : withoutSensitiveValues(line, shape, ...sources);
    });
  });
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
