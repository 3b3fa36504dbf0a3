import { CreateOpsTables1767100000000 } from './1767100000000-create-ops-tables.migration';
import { AddMethodProbeAdmission1767300000000 } from './1767300000000-add-method-probe-admission.migration';

/**
 * The ops service's own migrations, in the order they run: at start, after the outbox and
 * inbox tables, under an advisory lock (libs/database). Each is a `<timestamp>-<what>.migration.ts`
 * beside this file, with a real `down` or the reason it has none.
 */
export const OPS_MIGRATIONS: readonly (new () => unknown)[] = [
  CreateOpsTables1767100000000,
  AddMethodProbeAdmission1767300000000,
];
