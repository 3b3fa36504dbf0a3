import { mintOperatorToken, type OperatorTokenSettings } from '@keel/operator-auth';
import type { Route } from '@keel/ops-domain';
import { ExecutorUnavailableError } from '../ops.errors';

export interface ExecutorRoutesSettings {
  /** OPS_EXECUTOR_URL. */
  readonly baseUrl: string;
  /** OPS_EXECUTOR_TIMEOUT_MS. */
  readonly timeoutMs: number;
  /** The deployment's operator token settings: ops signs its own credential with them. */
  readonly tokens: OperatorTokenSettings;
}

export const EXECUTOR_ROUTES_SETTINGS = Symbol('keel.ops.executor-routes-settings');

/** The operator name the executor's own audit records for every change ops makes. */
export const OPS_OPERATOR_NAME = 'keel-ops';
/** ops' credential lives an hour and is renewed five minutes before it ends. */
const TOKEN_TTL_HOURS = 1;
const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The executor's routing table over HTTP (`GET/PUT /v1/routes`), the single writer every executor
 * instance re-reads: ops reads it, changes it and puts it back as an operator of its own.
 */
export class ExecutorRoutesClient {
  #token: { value: string; renewAtMs: number } | undefined;

  constructor(private readonly settings: ExecutorRoutesSettings) {}

  async routes(): Promise<Route[]> {
    return this.#exchange('GET');
  }

  async replace(routes: readonly Route[]): Promise<Route[]> {
    return this.#exchange('PUT', JSON.stringify({ routes }));
  }

  async #exchange(method: 'GET' | 'PUT', body?: string): Promise<Route[]> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl}/v1/routes`, {
        method,
        headers: {
          authorization: `Bearer ${this.#credential()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new ExecutorUnavailableError(`${method} /v1/routes failed: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (response.status !== 200)
      throw new ExecutorUnavailableError(
        `${method} /v1/routes answered ${response.status}: ${text.slice(0, 300)}`,
      );
    return (JSON.parse(text) as { routes: Route[] }).routes;
  }

  #credential(): string {
    const nowMs = Date.now();
    if (this.#token === undefined || nowMs >= this.#token.renewAtMs) {
      const { token, claims } = mintOperatorToken(
        {
          name: OPS_OPERATOR_NAME,
          role: 'operator',
          ttlHours: Math.min(TOKEN_TTL_HOURS, this.settings.tokens.maxTtlHours),
        },
        this.settings.tokens,
        new Date(nowMs),
      );
      this.#token = { value: token, renewAtMs: claims.exp * 1_000 - TOKEN_RENEW_BEFORE_MS };
    }
    return this.#token.value;
  }
}
