/**
 * The differential check of validatePayload's fast path against class-validator: every registered
 * event type's sample and systematic mutations of it, each validated with unknown fields refused
 * and allowed. A disagreement is the fast path accepting what class-validator refuses, a payload
 * that differs from class-validator's (values, undefined fields, key order), or validatePayload's
 * answer differing from class-validator's in any way.
 */
import { isDeepStrictEqual } from 'node:util';
import { eventTypes } from '../event-types';
import { fastPayloadValidatorOf } from '../fast-payload-validation';
import { PayloadClass } from '../payload-decorators.util';
import { validatePayload, validateWithClassValidator } from '../payload-validation.util';
import { SAMPLE_PAYLOADS } from './event-samples';

type Path = readonly (string | number)[];

export interface Mutation {
  readonly name: string;
  /** A fresh copy each call, so neither path can see what the other did to its data. */
  readonly data: () => unknown;
}

export interface DifferentialReport {
  readonly cases: number;
  readonly fastAccepted: number;
  readonly refused: number;
  readonly disagreements: readonly string[];
}

class Stranger {
  readonly note = 'an instance of an unrelated class';
}

const LENGTHS = [1, 63, 64, 65, 128, 129, 200, 201, 500, 501];
const TIMESTAMPS = [
  '2025-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2025-04-31T09:00:00Z',
  '2025-13-01T09:00:00Z',
  '2025-01-01T24:00:00Z',
  '2025-01-01T09:60:00Z',
  '2025-01-01T09:00:00',
  '2025-01-01 09:00:00Z',
  '2025-01-01t09:00:00.123456789z',
  '2025-01-01T09:00:00.1234567890Z',
  '2025-01-01T09:00:00+24:00',
  '2025-01-01T09:00:00+09:00',
  '2025-01-01',
  '+002025-01-01T09:00:00Z',
];
const AMOUNTS = [
  '0',
  '-0',
  '1',
  '-1',
  '007',
  '1.5',
  '1e3',
  ' 1',
  '1 ',
  '999999999999999999',
  '1000000000000000000',
];
const CODES = [
  'card',
  'CARD',
  'card ',
  'easy_pay',
  'mobile',
  'closed',
  'open',
  'half_open',
  'approved',
  'KRW',
  'krw',
  'KR',
];
const NUMBERS = [0, -0, 1, -1, 1.5, 86_400, 86_401, 600_000, 2_147_483_647, 2_147_483_648, 2 ** 53 + 2, 1e21];

function replacements(current: unknown): unknown[] {
  const values: unknown[] = [
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    true,
    false,
    '',
    ' ',
    'x',
    '5',
    '\uFE0F',
    '\uD83D',
    'é',
    {},
    [],
    [{}],
    [null],
    5n,
    new Date(0),
    new String('x'),
    new Number(5),
    new Boolean(true),
    new Stranger(),
    () => 'x',
    ...NUMBERS,
    ...AMOUNTS,
    ...CODES,
    ...TIMESTAMPS,
  ];
  if (typeof current === 'string') {
    values.push(
      `${current}\uFE0F`,
      `${current}\uFE0E\uFE0F`,
      `${current}😀`,
      current.toUpperCase(),
      current.toLowerCase(),
    );
    for (const length of LENGTHS) {
      values.push(
        'a'.repeat(length),
        `${'a'.repeat(length - 1)}\uFE0F`,
        '😀'.repeat(length),
        `${current}${'a'.repeat(length)}`,
      );
    }
  }
  if (typeof current === 'number')
    values.push(current + 1, current - 1, -current, current + 0.5, String(current));
  if (Array.isArray(current) && current.length > 0) {
    values.push(
      Array.from({ length: 101 }, () => current[0]),
      [...current, ...current],
      [current[0], null],
    );
    values.push(Object.assign(Object.create(null), current[0]), [Object.assign(new Stranger(), current[0])]);
  }
  if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
    values.push(
      [current],
      Object.assign(Object.create(null), current),
      Object.assign(new Stranger(), current),
    );
    values.push(new Map(Object.entries(current)));
  }
  return values;
}

const EXTRA_FIELDS: readonly [string, unknown][] = [
  ['surplus', 1],
  ['surplus', 'x'],
  ['surplus', null],
  ['surplus', undefined],
  ['surplus', { nested: 1 }],
  ['surplus', [1]],
  ['constructor', 1],
  ['toString', 'x'],
  ['hasOwnProperty', 1],
  ['then', 1],
  ['then', () => 1],
  ['__proto__', { polluted: 1 }],
  ['__proto__', 1],
];

function clone(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function pathsOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => pathsOf(item, [...path, index]))];
  if (typeof value === 'object' && value !== null) {
    return [path, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))];
  }
  return [path];
}

function at(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

/** A copy of the sample with the node at path replaced by what change makes of it. */
function changed(
  sample: unknown,
  path: Path,
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
) {
  return (): unknown => {
    const root = { value: clone(sample) };
    const parentPath: Path = ['value', ...path.slice(0, -1)];
    const key = path.length === 0 ? 'value' : path[path.length - 1];
    change(at(root, path.length === 0 ? [] : parentPath) as Record<string | number, unknown>, key);
    return root.value;
  };
}

export function mutationsOf(sample: object): Mutation[] {
  const mutations: Mutation[] = [{ name: 'the sample', data: () => clone(sample) }];
  for (const path of pathsOf(sample)) {
    const where = path.length === 0 ? '(root)' : path.join('.');
    const current = at(sample, path);
    if (path.length > 0) {
      mutations.push({
        name: `${where} removed`,
        data: changed(sample, path, (parent, key) => delete parent[key]),
      });
    }
    replacements(current).forEach((value, index) => {
      mutations.push({
        name: `${where} = #${index} ${typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value}`,
        data: changed(sample, path, (parent, key) => (parent[key] = value)),
      });
    });
    if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      for (const [key, value] of EXTRA_FIELDS) {
        mutations.push({
          name: `${where} + ${key}: ${typeof value}`,
          data: changed(sample, path, (parent, slot) =>
            Object.defineProperty(parent[slot], key, {
              value,
              enumerable: true,
              configurable: true,
              writable: true,
            }),
          ),
        });
      }
    }
  }
  return mutations;
}

/** JSON with undefined kept, so that key order and undefined fields both count. */
function layoutOf(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item === undefined ? '\u0000undefined' : item));
}

function sameResult(left: unknown, right: unknown): boolean {
  return isDeepStrictEqual(left, right) && layoutOf(left) === layoutOf(right);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function differentialOf(type: string): DifferentialReport {
  const payloadClass: PayloadClass = eventTypes.get(type).payload;
  const fastPath = fastPayloadValidatorOf(payloadClass);
  if (typeof fastPath !== 'function') {
    return {
      cases: 0,
      fastAccepted: 0,
      refused: 0,
      disagreements: [`${type} has no fast path: ${fastPath.message}`],
    };
  }
  const sample = SAMPLE_PAYLOADS[type as keyof typeof SAMPLE_PAYLOADS];
  const disagreements: string[] = [];
  let cases = 0;
  let fastAccepted = 0;
  let refused = 0;
  for (const mutation of mutationsOf(sample)) {
    for (const allowUnknownFields of [false, true]) {
      cases += 1;
      const name = `${type}: ${mutation.name}${allowUnknownFields ? ' (unknown fields allowed)' : ''}`;
      const judged = validateWithClassValidator(payloadClass, mutation.data(), { allowUnknownFields });
      if (!judged.ok) refused += 1;
      const data = mutation.data();
      const fast = isJsonObject(data) ? fastPath(data, allowUnknownFields) : undefined;
      if (fast !== undefined) {
        fastAccepted += 1;
        if (!judged.ok) disagreements.push(`${name}: fast path accepted, class-validator refused`);
        else if (!sameResult(fast, judged.payload)) disagreements.push(`${name}: payloads differ`);
      }
      const answered = validatePayload(payloadClass, mutation.data(), { allowUnknownFields });
      if (!sameResult(answered, judged)) disagreements.push(`${name}: validatePayload answered otherwise`);
    }
  }
  return { cases, fastAccepted, refused, disagreements };
}

export function differentialOfEveryEventType(): Record<string, DifferentialReport> {
  return Object.fromEntries(
    eventTypes.all().map((definition) => [definition.type, differentialOf(definition.type)]),
  );
}
