import 'reflect-metadata';
import { Expose, Transform } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DifferentialReport, differentialOf } from './__fixtures__/payload-differential';
import { eventTypes } from './event-types';
import { fastPayloadValidatorOf } from './fast-payload-validation';
import { IsTimestamp, PayloadClass } from './payload-decorators.util';
import { validatePayload, validateWithClassValidator } from './payload-validation.util';
import { NotCompilable } from './strict-payload-schema';

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
const EVENT_TYPES = eventTypes.all().map((definition) => definition.type);

class Note {
  @IsString()
  @MinLength(2)
  @MaxLength(4)
  text!: string;

  @IsOptional()
  @IsIn(['low', 'high'])
  level?: string;

  @IsOptional()
  @IsTimestamp()
  writtenAt?: string;
}

class WithUuid {
  @IsUUID()
  id!: string;
}

class WithCondition {
  @ValidateIf(() => false)
  @IsString()
  text!: string;
}

class WithTransform {
  @Transform(({ value }) => String(value).trim())
  @IsString()
  text!: string;
}

class WithExposedName {
  @Expose({ name: 'label' })
  @IsString()
  text!: string;
}

class WithFlaggedPattern {
  @Matches(/^a$/i)
  text!: string;
}

class WithNumericChoice {
  @IsIn([1, 2])
  choice!: number;
}

class WithDefault {
  @IsString()
  text = 'default';
}

function fastPathOf(payloadClass: PayloadClass) {
  const validator = fastPayloadValidatorOf(payloadClass);
  if (validator instanceof NotCompilable) throw validator;
  return validator;
}

describe('fast payload validation', () => {
  it('compiles every registered event type', () => {
    const notCompiled = eventTypes
      .all()
      .map((definition) => fastPayloadValidatorOf(definition.payload))
      .filter((validator) => validator instanceof NotCompilable)
      .map((reason) => reason.message);
    expect(notCompiled).toEqual([]);
  });

  it.each(EVENT_TYPES)(
    '%s: on the sample and every mutation of it, accepts only what class-validator accepts, with its payload',
    (type) => {
      const report = differentialOf(type);

      expect(report.disagreements).toEqual([]);
      expect(report.fastAccepted).toBeGreaterThan(0);
      expect(report.refused).toBeGreaterThan(report.cases / 2);
    },
    60_000,
  );

  it('agrees with class-validator under @swc-node/register too, where class fields are defined on construction', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '__fixtures__', 'payload-differential.process.ts')],
      { cwd: WORKSPACE_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const reports = JSON.parse(stdout) as Record<string, DifferentialReport>;

    expect(Object.keys(reports)).toEqual(EVENT_TYPES);
    for (const report of Object.values(reports)) {
      expect(report.disagreements).toEqual([]);
      expect(report.fastAccepted).toBeGreaterThan(0);
    }
  }, 180_000);

  it('decides a valid payload itself, null in an optional field included', () => {
    const data = { text: 'abc', level: null, writtenAt: '2024-02-29T23:59:59+09:00' };

    expect(fastPathOf(Note)(data, false)).toStrictEqual(data);
    expect(validateWithClassValidator(Note, data, { allowUnknownFields: false })).toStrictEqual({
      ok: true,
      payload: data,
    });
  });

  it('drops a plain unknown field only when told to, and leaves a special key to class-validator', () => {
    const data = { text: 'abc', surplus: 1 };
    const special = JSON.parse('{"text":"abc","__proto__":{"level":"high"}}') as Record<string, unknown>;

    expect(fastPathOf(Note)(data, true)).toStrictEqual({ text: 'abc' });
    expect(fastPathOf(Note)(data, false)).toBeUndefined();
    expect(fastPathOf(Note)(special, true)).toBeUndefined();
    expect(fastPathOf(Note)({ text: 'abc', nested: { a: 1 } }, true)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['a string validator.js counts shorter (a variation selector is not a character)', { text: 'a\uFE0F' }],
    ['an impossible date', { text: 'abc', writtenAt: '2025-02-29T00:00:00Z' }],
    ['a value of no choice', { text: 'abc', level: 'medium' }],
    ['a String object', { text: new String('abc') }],
  ])('leaves %s to class-validator, which refuses it as before', (_case, data) => {
    expect(fastPathOf(Note)(data, false)).toBeUndefined();
    const judged = validateWithClassValidator(Note, data, { allowUnknownFields: false });
    expect(judged.ok).toBe(false);
    expect(validatePayload(Note, data, { allowUnknownFields: false })).toStrictEqual(judged);
  });

  it.each<[string, PayloadClass, Record<string, unknown>]>([
    ['a rule with no exact schema (isUUID)', WithUuid, { id: '0b9a3f0e-4b8e-4a39-9d5e-2f1d3c4b5a69' }],
    ['a conditional rule', WithCondition, { text: 1 }],
    ['a class-transformer transform', WithTransform, { text: ' a ' }],
    ['a renamed field', WithExposedName, { label: 'a' }],
    ['a pattern with flags', WithFlaggedPattern, { text: 'A' }],
    ['a choice among numbers', WithNumericChoice, { choice: 2 }],
    ['a field with a default value', WithDefault, {}],
  ])('keeps a class with %s on class-validator alone', (_case, payloadClass, data) => {
    expect(fastPayloadValidatorOf(payloadClass)).toBeInstanceOf(NotCompilable);
    const options = { allowUnknownFields: false };
    expect(validatePayload(payloadClass, data, options)).toStrictEqual(
      validateWithClassValidator(payloadClass, data, options),
    );
  });
});
