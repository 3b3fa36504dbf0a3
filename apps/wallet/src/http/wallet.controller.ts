import { Controller, Get, Param, Query } from '@nestjs/common';
import { OperatorAccess } from '@keel/operator-auth';
import { WalletEntriesQuery, WalletParams } from './wallet-query.dto';
import { WalletReadService } from '../wallets/wallet-read.service';
import type { WalletView } from '../wallets/wallet.view';

/**
 * The wallet's read API, for operators (viewer and above). Credits come only from events; there
 * is no HTTP write. A wallet is read under its merchant, a path segment, so one merchant's seller
 * is never shown another's balance. Wallets opened before wallets were scoped to merchants are
 * under the merchant `unknown`.
 */
@OperatorAccess('viewer')
@Controller('v1/merchants/:merchantId/wallets')
export class WalletController {
  constructor(private readonly wallets: WalletReadService) {}

  @Get(':sellerId')
  getWallet(@Param() params: WalletParams, @Query() query: WalletEntriesQuery): Promise<WalletView> {
    return this.wallets.walletOf(params.merchantId, params.sellerId, query);
  }
}
