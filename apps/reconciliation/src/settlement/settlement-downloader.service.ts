import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent } from 'undici';
import type { SettlementPsp } from '@keel/reconciliation-domain';
import { settlementRequestOf, type SettlementSourceSettings } from './settlement-requests';
import { describeFailure, SettlementSourceError, sourceChunks } from './settlement-source.error';

/** How long a download may take at each stage (RECON_DOWNLOAD_*). */
export interface SettlementDownloadTimeouts {
  readonly connectMs: number;
  /** From sending the request to the answer's headers. */
  readonly headersMs: number;
  /** Between two chunks of the body. */
  readonly idleMs: number;
}

export interface SettlementDownloadSettings extends SettlementSourceSettings {
  readonly timeouts: SettlementDownloadTimeouts;
}

export const SETTLEMENT_DOWNLOAD_SETTINGS = Symbol('keel.reconciliation.settlement-download-settings');

/** A PSP's file as it streams in; `close` stops reading it (the rest is never fetched). */
export interface SettlementDownload {
  /** What was asked, without credentials: `GET http://…/acme/v1/settlements/2026-12-07`. */
  readonly source: string;
  readonly body: AsyncIterable<Buffer>;
  close(): void;
}

/** The longest part of a PSP's refusal quoted in a run's error. */
const REFUSAL_EXCERPT_CHARS = 200;

async function excerptOf(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    // Leaving the loop cancels the body: a refusal is never read whole.
    if (text.length >= REFUSAL_EXCERPT_CHARS) break;
  }
  return text.slice(0, REFUSAL_EXCERPT_CHARS).replace(/\s+/g, ' ').trim();
}

/**
 * Downloads settlement files from each PSP over HTTP (undici): the body is handed on as it streams,
 * never held, with explicit connect, headers and idle timeouts (the caller's signal bounds the
 * whole download). A refusal (any status but 200) or a transport failure is a SettlementSourceError.
 */
@Injectable()
export class SettlementDownloader implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(@Inject(SETTLEMENT_DOWNLOAD_SETTINGS) private readonly settings: SettlementDownloadSettings) {
    this.agent = new Agent({
      connect: { timeout: settings.timeouts.connectMs },
      headersTimeout: settings.timeouts.headersMs,
      bodyTimeout: settings.timeouts.idleMs,
    });
  }

  async open(psp: SettlementPsp, date: string, signal: AbortSignal): Promise<SettlementDownload> {
    const request = settlementRequestOf(psp, date, this.settings);
    const url = new URL(request.url);
    const source = `${request.method} ${url.origin}${url.pathname}`;
    let answer: Awaited<ReturnType<Agent['request']>>;
    try {
      answer = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
      });
    } catch (error) {
      throw new SettlementSourceError(`${source}: ${describeFailure(error)}`, { cause: error });
    }
    const body = answer.body;
    if (answer.statusCode !== 200) {
      const excerpt = await excerptOf(body).catch(() => '');
      body.destroy();
      throw new SettlementSourceError(
        `${source} answered ${answer.statusCode}${excerpt ? `: ${excerpt}` : ''}`,
      );
    }
    return { source, body: sourceChunks(body, source), close: () => body.destroy() };
  }

  onModuleDestroy(): Promise<void> {
    return this.agent.close();
  }
}
