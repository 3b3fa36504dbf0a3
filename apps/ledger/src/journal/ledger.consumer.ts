import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import { JOURNALED_EVENT_TYPES, JournalService } from './journal.service';

/**
 * Takes in the payment-order outcomes that move money, all in the chunk's inbox transaction. One
 * method names every type, so a chunk that mixes charges and orphan charges reaches the journal
 * in one call, in offset order: its accounts are locked once, in id order, whatever the mix.
 */
@Controller()
export class LedgerConsumer {
  constructor(private readonly journal: JournalService) {}

  @EventPattern([...JOURNALED_EVENT_TYPES])
  onMovements(@Payload() events: readonly EventEnvelope[], @Ctx() context: InboxContext): Promise<void> {
    return this.journal.recordMovements(context.getManager(), events);
  }
}
