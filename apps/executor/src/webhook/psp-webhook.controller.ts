import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { rawBodyOf } from './psp-webhook-raw-body';
import type { WebhookEffect } from './psp-webhook-writer.service';
import { PspWebhookService } from './psp-webhook.service';

/** PSPs notify charge outcomes here; the body is read raw, as signed (see psp-webhook-raw-body.ts). */
@ApiExcludeController()
@Controller('v1/psp-webhooks')
export class PspWebhookController {
  constructor(private readonly webhooks: PspWebhookService) {}

  @Post(':psp')
  @HttpCode(200)
  async receive(
    @Param('psp') pspId: string,
    @Req() request: IncomingMessage,
  ): Promise<{ effect: WebhookEffect }> {
    const effect = await this.webhooks.receive({
      pspId,
      headers: request.headers,
      rawBody: rawBodyOf(request),
      remoteAddress: request.socket.remoteAddress,
    });
    return { effect };
  }
}
