import { Controller, Get, Param, Query } from '@nestjs/common';
import { OperatorAccess } from '@keel/operator-auth';
import type { AccountPage, AccountPostingPage, AccountView } from '../queries/account.view';
import { LedgerQueryService } from '../queries/ledger-query.service';
import { ListAccountsQuery } from './list-accounts-query.dto';
import { PageQuery } from './page.dto';

/** Ledger accounts, their balances and postings, for operators (viewer and above). */
@OperatorAccess('viewer')
@Controller('v1/accounts')
export class AccountController {
  constructor(private readonly ledger: LedgerQueryService) {}

  @Get()
  list(@Query() query: ListAccountsQuery): Promise<AccountPage> {
    return this.ledger.listAccounts(query);
  }

  @Get(':accountId')
  get(@Param('accountId') accountId: string): Promise<AccountView> {
    return this.ledger.account(accountId);
  }

  @Get(':accountId/postings')
  postings(@Param('accountId') accountId: string, @Query() query: PageQuery): Promise<AccountPostingPage> {
    return this.ledger.accountPostings(accountId, query);
  }
}
