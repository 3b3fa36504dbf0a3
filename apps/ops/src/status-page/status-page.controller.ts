import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { STATUS_PAGE_CONTENT_SECURITY_POLICY } from './status-page-html';
import { STATUS_PAGE_SETTINGS, StatusPageService, type StatusPageSettings } from './status-page.service';

/**
 * The public status page, for buyers: no credential. Its answers may be cached by browsers and
 * proxies for the snapshot's period (unlike every other answer of Keel's, which carries merchants'
 * data and is `no-store`); Express adds the ETag and answers a matching If-None-Match with 304.
 */
@ApiTags('status page')
@Controller()
export class StatusPageController {
  readonly #cacheControl: string;

  constructor(
    private readonly statusPage: StatusPageService,
    @Inject(STATUS_PAGE_SETTINGS) settings: StatusPageSettings,
  ) {
    this.#cacheControl = `public, max-age=${Math.floor(settings.cacheMs / 1_000)}`;
  }

  @Get('status')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The status page: each payment method, current incidents and history (HTML)' })
  @ApiOkResponse({ description: 'A page readable without JavaScript' })
  async html(@Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const { html } = await this.statusPage.snapshot();
    response.setHeader('Cache-Control', this.#cacheControl);
    response.setHeader('Content-Security-Policy', STATUS_PAGE_CONTENT_SECURITY_POLICY);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    return html;
  }

  @Get('status.json')
  @ApiOperation({ summary: 'The status page as JSON: the same content as /status' })
  async json(@Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const { json } = await this.statusPage.snapshot();
    response.setHeader('Cache-Control', this.#cacheControl);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    return json;
  }
}
