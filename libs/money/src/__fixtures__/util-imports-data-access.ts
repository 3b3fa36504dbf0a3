// Lint fixture: a type:util library depending on a type:data-access one. The rule must reject it.
import { OutboxRelay } from '@keel/messaging';

export const dependsOnMessaging = OutboxRelay;
