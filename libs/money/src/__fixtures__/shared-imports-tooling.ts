// Lint fixture: a shared production library importing a tooling library. The rule must reject it.
import { plannedCount } from '@keel/traffic';

export const plansTraffic = plannedCount;
