// Lint fixture: a service's production code importing a tooling library. The rule must reject it.
import { waitFor } from '@keel/testing';

export const waitsInProduction = waitFor;
