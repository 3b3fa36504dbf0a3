// Lint fixture: a service's test importing a tooling library. The rule must accept it.
import { waitFor } from '@keel/testing';

export const waitsInATest = waitFor;
