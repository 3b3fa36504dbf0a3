import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope } from '@keel/contracts';
import type { EntityManager } from 'typeorm';
import type { InboxTransaction } from '../inbox/inbox-consumer';

/** What an `@EventPattern` handler receives with `@Ctx()`: the event and its transaction. */
export class InboxContext extends BaseRpcContext<[EventEnvelope, InboxTransaction]> {
  getEvent(): EventEnvelope {
    return this.args[0];
  }

  getTransaction(): InboxTransaction {
    return this.args[1];
  }

  /** The EntityManager of the transaction that also records the event in the inbox. */
  getManager(): EntityManager {
    return this.args[1].manager;
  }
}
