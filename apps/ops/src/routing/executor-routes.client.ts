import type { OperatorTokenSettings } from '@keel/operator-auth';
import type { Route } from '@keel/ops-domain';
import { OpsCredential } from '../ops-credential';
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

/**
 * The executor's routing table over HTTP (`GET/PUT /v1/routes`), the single writer every executor
 * instance re-reads: ops reads it, changes it and puts it back as an operator of its own.
 */
export class ExecutorRoutesClient {
  readonly #credential: OpsCredential;

  constructor(private readonly settings: ExecutorRoutesSettings) {
    this.#credential = new OpsCredential('operator', settings.tokens);
  }

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
          authorization: this.#credential.authorization(),
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
}
