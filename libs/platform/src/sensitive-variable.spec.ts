import { IsString, Matches } from 'class-validator';
import { createLogger, REDACTED } from '@keel/observability';
import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';
import {
  logEnvironment,
  redactedEnvironment,
  Sensitive,
  sensitiveVariablesOf,
  unmarkedSecretsOf,
} from './sensitive-variable';

const DATABASE_PASSWORD = 'hunter2-db-password';
const API_KEY = 'sk_live_do-not-show-me';

class PspEnvironment extends ServiceEnvironment {
  // A careless message that quotes the value: the secret must still not reach the error.
  @Sensitive()
  @Matches(/^sk_test_/, { message: '$property must be a test key, got $value' })
  PSP_API_KEY = 'sk_test_default';

  @IsString()
  PSP_MERCHANT_ID = 'merchant_default';
}

class ForgetfulEnvironment extends ServiceEnvironment {
  @IsString()
  PSP_WEBHOOK_SECRET = 'whsec';
}

const SOURCE = {
  PORT: '0',
  DATABASE_URL: `postgres://keel:${DATABASE_PASSWORD}@127.0.0.1:5432/keel_test`,
  KAFKA_BROKERS: '127.0.0.1:19092',
  PSP_MERCHANT_ID: 'merchant_7',
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
    expect([...sensitiveVariablesOf(PspEnvironment)].sort()).toEqual(['DATABASE_URL', 'PSP_API_KEY']);
    expect([...sensitiveVariablesOf(ServiceEnvironment)]).toEqual(['DATABASE_URL']);
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
    const environment = loadEnvironment(PspEnvironment, { ...SOURCE, PSP_API_KEY: 'sk_test_secret-value' });
    const lines = loggedLines(environment);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as { msg: string; environment: Record<string, unknown> };
    expect(record.msg).toBe('service environment');
    expect(record.environment).toMatchObject({
      DATABASE_URL: REDACTED,
      PSP_API_KEY: REDACTED,
      PSP_MERCHANT_ID: 'merchant_7',
      KAFKA_BROKERS: '127.0.0.1:19092',
      PORT: 0,
    });
    expect(record.environment).not.toHaveProperty('UNRELATED_TOKEN');
    for (const secret of [DATABASE_PASSWORD, 'sk_test_secret-value', 'process-wide-token']) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  it('leaves an unset sensitive variable unset in a dump, so the dump tells set from unset', () => {
    class OptionalSecretEnvironment extends ServiceEnvironment {
      @Sensitive()
      @Matches(/^.+$/)
      OPTIONAL_API_KEY?: string;
    }
    const dump = redactedEnvironment(
      Object.assign(new OptionalSecretEnvironment(), { OPTIONAL_API_KEY: undefined }),
    );
    expect(dump).toHaveProperty('OPTIONAL_API_KEY', undefined);
  });
});
