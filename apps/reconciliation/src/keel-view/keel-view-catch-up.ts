import { Inject, Injectable } from '@nestjs/common';
import { ConsumerCatchUp, type CatchUpOutcome } from '@keel/messaging';
import { KEEL_VIEW_SETTINGS, type KeelViewSettings } from './keel-view.settings';

/** How far the view had consumed when a run's steps began; `caughtUp` false means it may trail. */
export type KeelViewPosition = CatchUpOutcome;

/**
 * What "as of" means for a run: its steps read the view once it has consumed the executor's,
 * ledger's and wallet's topics up to their end offsets at the run's start — every event Keel had
 * published by then — waiting at most RECON_VIEW_CATCH_UP_TIMEOUT_MS. Past that the run goes on
 * with the view as it is, and says so.
 */
@Injectable()
export class KeelViewCatchUp {
  constructor(
    private readonly consumer: ConsumerCatchUp,
    @Inject(KEEL_VIEW_SETTINGS) private readonly settings: KeelViewSettings,
  ) {}

  waitUntilConsumed(): Promise<KeelViewPosition> {
    return this.consumer.waitForEndOffsets(this.settings.catchUp);
  }
}
