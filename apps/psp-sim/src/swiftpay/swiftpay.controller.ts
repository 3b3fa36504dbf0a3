import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FaultGate } from '../http/fault-gate.service';
import { SwiftpayApi } from './swiftpay-api';

/** swiftpay's HTTP surface: ready, approve, inquiry, cancel. */
@Controller('swiftpay/v2')
export class SwiftpayController {
  constructor(
    private readonly api: SwiftpayApi,
    private readonly gate: FaultGate,
  ) {}

  @Post('ready')
  async ready(
    @Headers('x-swift-key') swiftKey: string | undefined,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.readyTarget(body), response, () => this.api.ready(swiftKey, body));
  }

  @Post('approve')
  async approve(
    @Headers('x-swift-key') swiftKey: string | undefined,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.tidTarget(body), response, () => this.api.approve(swiftKey, body));
  }

  @Get('orders/:partnerOrderId')
  async order(
    @Headers('x-swift-key') swiftKey: string | undefined,
    @Param('partnerOrderId') partnerOrderId: string,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.orderTarget(partnerOrderId), response, () =>
      this.api.order(swiftKey, partnerOrderId),
    );
  }

  @Get('settlements/:settleDate')
  async settlement(
    @Headers('x-swift-key') swiftKey: string | undefined,
    @Param('settleDate') settleDate: string,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.settlementTarget(), response, () =>
      this.api.settlement(swiftKey, settleDate),
    );
  }

  @Post('cancel')
  async cancel(
    @Headers('x-swift-key') swiftKey: string | undefined,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.tidTarget(body), response, () => this.api.cancel(swiftKey, body));
  }
}
