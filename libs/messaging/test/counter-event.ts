import { IsInt, IsString, Min } from 'class-validator';
import { defineEventType, EventTypeRegistry } from '@keel/contracts';

/** The event of the messaging integration tests: add `amount` to counter `counterId`. */
export class CounterIncremented {
  @IsString()
  counterId!: string;

  @IsInt()
  @Min(1)
  amount!: number;
}

export const COUNTER_INCREMENTED = 'keel.test.counter_incremented.v1';

export function counterRegistry(topic: string): EventTypeRegistry {
  return new EventTypeRegistry([
    defineEventType({
      type: COUNTER_INCREMENTED,
      topic,
      payload: CounterIncremented,
      subject: 'counterId',
      visibility: 'internal',
      description: 'Test event of the messaging integration suite.',
    }),
  ]);
}
