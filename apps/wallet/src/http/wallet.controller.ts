import { Controller, Get, Param, Query } from '@nestjs/common';
import { WalletEntriesQuery, WalletParams } from './wallet-query.dto';
import { WalletReadService } from '../wallets/wallet-read.service';
import type { WalletView } from '../wallets/wallet.view';

/** The wallet's read API. Credits come only from events; there is no HTTP write. */
@Controller('v1/wallets')
export class WalletController {
  constructor(private readonly wallets: WalletReadService) {}

  @Get(':sellerId')
  getWallet(@Param() params: WalletParams, @Query() query: WalletEntriesQuery): Promise<WalletView> {
    return this.wallets.walletOf(params.sellerId, query);
  }
}
