/**
 * µs per validatePayload of a few event types: class-validator's path alone (before the fast path)
 * and validatePayload (after), on a sample as a producer builds it (unknown fields refused) and as
 * a consumer parses it (allowed).
 *
 *   node -r @swc-node/register libs/contracts/bench/payload-validation.bench.ts
 */
import { isDeepStrictEqual } from 'node:util';
import { SAMPLE_PAYLOADS } from '../src/__fixtures__/event-samples';
import { EVENT_TYPES, eventTypes } from '../src/event-types';
import {
  PayloadValidationResult,
  validatePayload,
  validateWithClassValidator,
} from '../src/payload-validation.util';

const TYPES = [
  EVENT_TYPES.paymentRequested,
  EVENT_TYPES.pspAttemptRecorded,
  EVENT_TYPES.ledgerTransactionRecorded,
  EVENT_TYPES.paymentOrderExecutionRequested,
  EVENT_TYPES.walletCredited,
];
const WARM_UP = 2_000;
const ITERATIONS = 10_000;
const ROUNDS = 5;

type Validate = (data: Record<string, unknown>) => PayloadValidationResult;

function microsecondsPer(validate: Validate, data: Record<string, unknown>): number {
  for (let index = 0; index < WARM_UP; index += 1) validate(data);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < ITERATIONS; index += 1) validate(data);
    rounds.push(Number(process.hrtime.bigint() - started) / 1_000 / ITERATIONS);
  }
  return rounds.sort((left, right) => left - right)[Math.floor(ROUNDS / 2)];
}

const lines = [
  '| event type | unknown fields | before (class-validator) µs | after µs |',
  '| --- | --- | --: | --: |',
];
for (const type of TYPES) {
  const payloadClass = eventTypes.get(type).payload;
  const data = JSON.parse(JSON.stringify(SAMPLE_PAYLOADS[type])) as Record<string, unknown>;
  for (const allowUnknownFields of [false, true]) {
    const options = { allowUnknownFields };
    const before: Validate = (value) => validateWithClassValidator(payloadClass, value, options);
    const after: Validate = (value) => validatePayload(payloadClass, value, options);
    if (!isDeepStrictEqual(before(data), after(data))) throw new Error(`${type}: the two paths disagree`);
    const [beforeMicros, afterMicros] = [microsecondsPer(before, data), microsecondsPer(after, data)];
    lines.push(
      `| ${type} | ${allowUnknownFields ? 'allowed' : 'refused'} | ${beforeMicros.toFixed(1)} | ${afterMicros.toFixed(2)} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
