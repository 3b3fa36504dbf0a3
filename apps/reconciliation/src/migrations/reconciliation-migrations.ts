import { CreateSettlementTables1766100000000 } from './1766100000000-create-settlement-tables.migration';
import { CreateOperatorAudit1766100100000 } from './1766100100000-create-operator-audit.migration';
import { CreateKeelViewTables1766200000000 } from './1766200000000-create-keel-view-tables.migration';
import { CreateDiscrepancies1766300000000 } from './1766300000000-create-discrepancies.migration';
import { KeepSellerPayables1766350000000 } from './1766350000000-keep-seller-payables.migration';
import { AddDiscrepancyFix1766400000000 } from './1766400000000-add-discrepancy-fix.migration';
import { DropSettlementRowsFileKey1766500000000 } from './1766500000000-drop-settlement-rows-file-key.migration';
import { DropSettlementRowsMerchantIndex1767200000000 } from './1767200000000-drop-settlement-rows-merchant-index.migration';

/**
 * The reconciliation service's own migrations, in the order they run: at start, after the outbox and
 * inbox tables, under an advisory lock (libs/database). Each is a `<timestamp>-<what>.migration.ts`
 * beside this file, with a real `down` or the reason it has none.
 */
export const RECONCILIATION_MIGRATIONS: readonly (new () => unknown)[] = [
  CreateSettlementTables1766100000000,
  CreateOperatorAudit1766100100000,
  CreateKeelViewTables1766200000000,
  CreateDiscrepancies1766300000000,
  KeepSellerPayables1766350000000,
  AddDiscrepancyFix1766400000000,
  DropSettlementRowsFileKey1766500000000,
  DropSettlementRowsMerchantIndex1767200000000,
];
