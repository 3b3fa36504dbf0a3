import type { Provider } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import type { ReconciliationEnvironment } from '../reconciliation.environment';
import { KeelViewCatchUp } from './keel-view-catch-up';
import { KeelViewConsumer } from './keel-view.consumer';
import { KeelViewReader } from './keel-view.reader';
import { KeelViewRepository } from './keel-view.repository';
import { KeelViewService } from './keel-view.service';
import { KEEL_VIEW_SETTINGS, keelViewSettingsOf } from './keel-view.settings';

/** The topics Keel's view is built from: the executor's, the ledger's and the wallet's. */
export const KEEL_VIEW_TOPICS = [TOPICS.paymentOrder, TOPICS.ledger, TOPICS.wallet] as const;

export const KEEL_VIEW_CONTROLLERS = [KeelViewConsumer];

export function keelViewProviders(environment: ReconciliationEnvironment): Provider[] {
  return [
    { provide: KEEL_VIEW_SETTINGS, useValue: keelViewSettingsOf(environment) },
    KeelViewRepository,
    KeelViewService,
    KeelViewReader,
    KeelViewCatchUp,
  ];
}
