import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FaultGate } from '../http/fault-gate.service';
import { AcmeApi } from './acme-api';

/** acme's HTTP surface: each request through the fault gate, then the dialect. */
@Controller('acme/v1')
export class AcmeController {
  constructor(
    private readonly api: AcmeApi,
    private readonly gate: FaultGate,
  ) {}

  @Post('charges')
  async createCharge(
    @Headers('authorization') authorization: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.chargeTarget(body), response, () =>
      this.api.createCharge(authorization, idempotencyKey, body),
    );
  }

  @Get('charges')
  async findCharge(
    @Headers('authorization') authorization: string | undefined,
    @Query('idempotency_key') idempotencyKey: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.keyTarget(idempotencyKey), response, () =>
      this.api.findCharge(authorization, idempotencyKey),
    );
  }

  @Get('settlements/:date')
  async settlementFile(
    @Headers('authorization') authorization: string | undefined,
    @Param('date') date: string,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.settlementTarget(), response, () =>
      this.api.settlementFile(authorization, date),
    );
  }

  @Post('charges/:chargeId/refunds')
  async refund(
    @Headers('authorization') authorization: string | undefined,
    @Param('chargeId') chargeId: string,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    await this.gate.handle(this.api.idTarget(chargeId), response, () =>
      this.api.refund(authorization, chargeId, body),
    );
  }
}
