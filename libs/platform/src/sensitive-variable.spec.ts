import { IsOptional, IsString, Matches } from 'class-validator';
import { createLogger, REDACTED } from '@keel/observability';
import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';
import {
  logEnvironment,
  redactedEnvironment,
  Sensitive,
  SECRET_LENGTH_MIN,
  sensitiveVariablesOf,
  unmarkedSecretsOf,
} from './sensitive-variable';

const DATABASE_PASSWORD = 'hunter2-db-password';
const API_KEY = 'sk_live_do-not-show-me-0123456789abcdef';
const TEST_API_KEY = 'sk_test_secret-value-0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_0123456789abcdef0123456789abcdef';
const SIMULATOR_WEBHOOK_SECRET = 'whsec_simulator';

class PspEnvironment extends ServiceEnvironment {
  // A careless message that quotes the value: the secret must still not reach the error.
  @Sensitive()
  @Matches(/^sk_test_/, { message: '$property must be a test key, got $value' })
  PSP_API_KEY!: string;

  /** The simulator signs with a short public secret; a real PSP's is set, 24 characters at least. */
  @Sensitive({ minLength: 24, localValue: SIMULATOR_WEBHOOK_SECRET })
  PSP_WEBHOOK_SECRET!: string;

  @IsString()
  PSP_MERCHANT_ID = 'merchant_default';
}

class ForgetfulEnvironment extends ServiceEnvironment {
  @IsString()
  PSP_WEBHOOK_SECRET = 'whsec';
}

class DefaultedSecretEnvironment extends ServiceEnvironment {
  @Sensitive()
  PSP_API_KEY = 'sk_test_0123456789abcdef0123456789abcdef';
}

const SOURCE = {
  PORT: '0',
  DATABASE_URL: `postgres://keel:${DATABASE_PASSWORD}@127.0.0.1:5432/keel_test`,
  KAFKA_BROKERS: '127.0.0.1:19092',
  PSP_API_KEY: TEST_API_KEY,
  PSP_WEBHOOK_SECRET: WEBHOOK_SECRET,
  PSP_MERCHANT_ID: 'merchant_7',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
  // Not declared by the shape: a dump of the environment never shows the rest of the process's.
  UNRELATED_TOKEN: 'process-wide-token',
};

function errorOf(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the environment to be refused');
}

function loggedLines(environment: object): string[] {
  const lines: string[] = [];
  logEnvironment(
    createLogger({ service: 'test', destination: { write: (line) => lines.push(line) } }),
    environment,
  );
  return lines;
}

describe('sensitive environment variables', () => {
  it('knows the variables a shape and the shapes it extends mark sensitive', () => {
    expect([...sensitiveVariablesOf(PspEnvironment)].sort()).toEqual([
      'DATABASE_URL',
      'OPERATOR_TOKEN_SECRET',
      'PSP_API_KEY',
      'PSP_WEBHOOK_SECRET',
    ]);
    expect([...sensitiveVariablesOf(ServiceEnvironment)]).toEqual(['DATABASE_URL', 'OPERATOR_TOKEN_SECRET']);
  });

  it('refuses a shape with a variable named like a secret that is not marked', () => {
    expect(unmarkedSecretsOf(ForgetfulEnvironment)).toEqual(['PSP_WEBHOOK_SECRET']);
    expect(() => loadEnvironment(ForgetfulEnvironment, SOURCE)).toThrow(
      new EnvironmentError('named like secrets but not marked @Sensitive(): PSP_WEBHOOK_SECRET'),
    );
  });

  it('never shows a sensitive value in the validation error, even when a message quotes it', () => {
    const invalid = {
      ...SOURCE,
      DATABASE_URL: `mysql://keel:${DATABASE_PASSWORD}@db/keel`,
      PSP_API_KEY: API_KEY,
      PORT: 'not-a-port',
    };
    const error = errorOf(() => loadEnvironment(PspEnvironment, invalid));
    expect(error).toBeInstanceOf(EnvironmentError);
    const { message } = error;
    expect(message).toContain('DATABASE_URL must be a postgres:// URL naming a database');
    expect(message).toContain(`PSP_API_KEY must be a test key, got ${REDACTED}`);
    expect(message).toContain('PORT');
    expect(message).not.toContain(API_KEY);
    expect(message).not.toContain(DATABASE_PASSWORD);
  });

  it('logs the environment at start with every declared variable, secrets redacted', () => {
    const environment = loadEnvironment(PspEnvironment, SOURCE);
    const lines = loggedLines(environment);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as { msg: string; environment: Record<string, unknown> };
    expect(record.msg).toBe('service environment');
    expect(record.environment).toMatchObject({
      DATABASE_URL: REDACTED,
      PSP_API_KEY: REDACTED,
      PSP_WEBHOOK_SECRET: REDACTED,
      PSP_MERCHANT_ID: 'merchant_7',
      KAFKA_BROKERS: '127.0.0.1:19092',
      PORT: 0,
    });
    expect(record.environment).not.toHaveProperty('UNRELATED_TOKEN');
    for (const secret of [DATABASE_PASSWORD, TEST_API_KEY, WEBHOOK_SECRET, 'process-wide-token']) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  it('logs the local value a secret took under KEEL_PROFILE=local redacted too', () => {
    const environment = loadEnvironment(PspEnvironment, {
      ...SOURCE,
      PSP_WEBHOOK_SECRET: undefined,
      KEEL_PROFILE: 'local',
    });
    const [line] = loggedLines(environment);
    expect(JSON.parse(line)).toMatchObject({
      environment: { KEEL_PROFILE: 'local', PSP_WEBHOOK_SECRET: REDACTED },
    });
    expect(line).not.toContain(SIMULATOR_WEBHOOK_SECRET);
  });

  it('leaves an unset sensitive variable unset in a dump, so the dump tells set from unset', () => {
    class OptionalSecretEnvironment extends ServiceEnvironment {
      @IsOptional()
      @Sensitive()
      OPTIONAL_API_KEY?: string;
    }
    const dump = redactedEnvironment(
      Object.assign(new OptionalSecretEnvironment(), { OPTIONAL_API_KEY: undefined }),
    );
    expect(dump).toHaveProperty('OPTIONAL_API_KEY', undefined);
  });
});

describe('secrets fail closed', () => {
  const problemsOf = (source: NodeJS.ProcessEnv): string =>
    errorOf(() => loadEnvironment(PspEnvironment, source)).message;

  it('refuses to start without a secret, naming it and saying how to set it', () => {
    const message = problemsOf({ ...SOURCE, PSP_API_KEY: undefined, PSP_WEBHOOK_SECRET: '' });
    expect(message).toContain(
      `PSP_API_KEY is a secret with no default and is not set: set it (at least ${SECRET_LENGTH_MIN} characters)`,
    );
    // Its other rules would only repeat that it has no value.
    expect(message).not.toContain('must be a test key');
    expect(message).toContain(
      "PSP_WEBHOOK_SECRET is a secret with no default and is not set: set it (at least 24 characters), or run with KEEL_PROFILE=local to use the PSP simulator's test value",
    );
  });

  it('refuses a database URL that is not set, without asking for a length', () => {
    expect(problemsOf({ ...SOURCE, DATABASE_URL: undefined })).toMatch(
      /DATABASE_URL is a secret with no default and is not set: set it$/m,
    );
  });

  it('refuses a secret shorter than its minimum, the default one or its own, and never quotes it', () => {
    const shortKey = 'sk_test_short';
    const shortSecret = 'whsec_23_characters_xyz';
    const message = problemsOf({ ...SOURCE, PSP_API_KEY: shortKey, PSP_WEBHOOK_SECRET: shortSecret });
    expect(message).toContain(`PSP_API_KEY must be at least ${SECRET_LENGTH_MIN} characters long`);
    expect(message).toContain('PSP_WEBHOOK_SECRET must be at least 24 characters long');
    expect(message).not.toContain(shortKey);
    expect(message).not.toContain(shortSecret);
    const atMinimum = loadEnvironment(PspEnvironment, { ...SOURCE, PSP_WEBHOOK_SECRET: `${shortSecret}z` });
    expect(atMinimum.PSP_WEBHOOK_SECRET).toHaveLength(24);
  });

  it('gives an unset secret its local value under KEEL_PROFILE=local, and a secret without one none', () => {
    const local = { ...SOURCE, KEEL_PROFILE: 'local', PSP_WEBHOOK_SECRET: undefined };
    expect(loadEnvironment(PspEnvironment, local).PSP_WEBHOOK_SECRET).toBe(SIMULATOR_WEBHOOK_SECRET);
    expect(loadEnvironment(PspEnvironment, { ...local, PSP_WEBHOOK_SECRET: '' }).PSP_WEBHOOK_SECRET).toBe(
      SIMULATOR_WEBHOOK_SECRET,
    );
    expect(
      loadEnvironment(PspEnvironment, { ...local, PSP_WEBHOOK_SECRET: WEBHOOK_SECRET }).PSP_WEBHOOK_SECRET,
    ).toBe(WEBHOOK_SECRET);
    expect(problemsOf({ ...local, PSP_API_KEY: undefined })).toContain(
      'PSP_API_KEY is a secret with no default',
    );
  });

  it('keeps the minimum length under KEEL_PROFILE=local for every value but the local one', () => {
    expect(problemsOf({ ...SOURCE, KEEL_PROFILE: 'local', PSP_WEBHOOK_SECRET: 'whsec_short' })).toContain(
      'PSP_WEBHOOK_SECRET must be at least 24 characters long',
    );
  });

  it("refuses the simulator's value outside KEEL_PROFILE=local, set by hand or by a profile it mistyped", () => {
    const expected =
      "PSP_WEBHOOK_SECRET is the PSP simulator's public test value, accepted only with KEEL_PROFILE=local";
    expect(problemsOf({ ...SOURCE, PSP_WEBHOOK_SECRET: SIMULATOR_WEBHOOK_SECRET })).toContain(expected);
    const mistyped = problemsOf({ ...SOURCE, KEEL_PROFILE: 'locl', PSP_WEBHOOK_SECRET: undefined });
    expect(mistyped).toContain('KEEL_PROFILE must be unset or one of local');
    expect(mistyped).toContain('PSP_WEBHOOK_SECRET is a secret with no default and is not set');
  });

  it('refuses a shape that gives a secret a default in code', () => {
    expect(() => loadEnvironment(DefaultedSecretEnvironment, SOURCE)).toThrow(
      new EnvironmentError(
        'secrets with a default in code (give a local value with @Sensitive({ localValue }) instead): PSP_API_KEY',
      ),
    );
  });

  it('checks an optional secret only when it is set', () => {
    class OptionalSecretEnvironment extends ServiceEnvironment {
      @IsOptional()
      @Sensitive()
      OPTIONAL_API_KEY?: string;
    }
    expect(loadEnvironment(OptionalSecretEnvironment, SOURCE).OPTIONAL_API_KEY).toBeUndefined();
    expect(() =>
      loadEnvironment(OptionalSecretEnvironment, { ...SOURCE, OPTIONAL_API_KEY: 'short' }),
    ).toThrow(`OPTIONAL_API_KEY must be at least ${SECRET_LENGTH_MIN} characters long`);
  });

  it('reports a one-character secret in words the scrubbing left whole', () => {
    const message = problemsOf({ ...SOURCE, PSP_API_KEY: 'a' });
    expect(message).toContain(`PSP_API_KEY must be at least ${SECRET_LENGTH_MIN} characters long`);
  });
});
