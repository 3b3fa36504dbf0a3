import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope } from '@keel/contracts';
import type { EntityManager } from 'typeorm';
import type { InboxTransaction } from '../inbox/inbox-consumer';

/** What an `@EventPattern` handler receives with `@Ctx()`: its events and their transaction. */
export class InboxContext extends BaseRpcContext<[readonly EventEnvelope[], InboxTransaction]> {
  /** The run of events this call applies, first seen and in offset order. */
  getEvents(): readonly EventEnvelope[] {
    return this.args[0];
  }

  getTransaction(): InboxTransaction {
    return this.args[1];
  }

  /** The EntityManager of the transaction that also records the events in the inbox. */
  getManager(): EntityManager {
    return this.args[1].manager;
  }
}
