import { Body, Controller, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FaultGate } from '../http/fault-gate.service';
import { NovaApi } from './nova-api';

/** nova's HTTP surface (form-encoded requests, JSON answers, always HTTP 200 unless a fault strikes). */
@Controller('nova/api')
export class NovaController {
  constructor(
    private readonly api: NovaApi,
    private readonly gate: FaultGate,
  ) {}

  @Post('payment')
  async payment(@Body() body: unknown, @Res() response: ServerResponse): Promise<void> {
    await this.gate.handle(this.api.paymentTarget(body), response, () => this.api.payment(body));
  }

  @Post('inquiry')
  async inquiry(@Body() body: unknown, @Res() response: ServerResponse): Promise<void> {
    await this.gate.handle(this.api.orderTarget(body), response, () => this.api.inquiry(body));
  }

  @Post('settlement')
  async settlement(@Body() body: unknown, @Res() response: ServerResponse): Promise<void> {
    await this.gate.handle(this.api.settlementTarget(), response, () => this.api.settlement(body));
  }

  @Post('cancel')
  async cancel(@Body() body: unknown, @Res() response: ServerResponse): Promise<void> {
    await this.gate.handle(this.api.tidTarget(body), response, () => this.api.cancel(body));
  }
}
